package dev.crl.workers.archfixture;

import ai.djl.ndarray.NDManager;

/** Breaks the workflow rule on purpose, so that ModuleRulesTest can show the rule reports it. */
public final class WorkflowThatImportsDjl {
  private WorkflowThatImportsDjl() {}

  /** Touches DJL the way a careless workflow might. */
  public static String engine() {
    try (NDManager manager = NDManager.newBaseManager()) {
      return manager.getEngine().getEngineName();
    }
  }
}
