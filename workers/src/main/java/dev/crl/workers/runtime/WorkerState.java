package dev.crl.workers.runtime;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The worker host of this process, if any, shared between the command that started it and the
 * HTTP endpoints (health, control plane) that report on it.
 */
public final class WorkerState {
  private static final AtomicReference<WorkerHost> HOST = new AtomicReference<>();

  private WorkerState() {}

  public static void set(WorkerHost host) {
    HOST.set(host);
  }

  public static void clear() {
    HOST.set(null);
  }

  /** The running host, or null before it started or after it stopped. */
  public static WorkerHost host() {
    return HOST.get();
  }
}
