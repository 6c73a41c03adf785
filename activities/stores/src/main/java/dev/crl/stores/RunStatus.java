package dev.crl.stores;

/** Lifecycle state of a tracked run; the names match MLflow's RunStatus values. */
public enum RunStatus {
  RUNNING,
  FINISHED,
  FAILED,
  KILLED
}
