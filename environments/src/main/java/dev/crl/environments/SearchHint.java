package dev.crl.environments;

/**
 * Implemented by environments that can estimate how many actions remain at least, so that
 * {@link SearchSolver} can search best-first (A*) instead of breadth-first.
 */
public interface SearchHint {

  /** A lower bound (or close estimate) of the actions still needed to succeed. */
  int remainingActionsHint();
}
