package dev.crl.api.spec;

/**
 * How long a run lasts and how often it checkpoints and evaluates.
 *
 * @param iterations actor updates in the run
 * @param tasksPerIteration task instances per iteration; rollouts = tasks x group size
 * @param maxTurns environment steps per episode
 * @param maxNewTokens tokens the actor may generate per turn
 * @param checkpointEvery iterations between checkpoints
 * @param evalEvery iterations between evaluations (0 = only at start and end)
 * @param wallClockMinutes stop gracefully after this long (0 = no limit)
 */
public record BudgetSpec(
    Integer iterations,
    Integer tasksPerIteration,
    Integer maxTurns,
    Integer maxNewTokens,
    Integer checkpointEvery,
    Integer evalEvery,
    Double wallClockMinutes) {

  public BudgetSpec {
    iterations = iterations == null ? 145 : iterations;
    tasksPerIteration = tasksPerIteration == null ? 16 : tasksPerIteration;
    maxTurns = maxTurns == null ? 30 : maxTurns;
    maxNewTokens = maxNewTokens == null ? 64 : maxNewTokens;
    checkpointEvery = checkpointEvery == null ? 10 : checkpointEvery;
    evalEvery = evalEvery == null ? 10 : evalEvery;
    wallClockMinutes = wallClockMinutes == null ? 0.0 : wallClockMinutes;
  }

  /** The paper's MiniHack Room pilot budget, scaled to one host. */
  public static BudgetSpec defaults() {
    return new BudgetSpec(null, null, null, null, null, null, null);
  }
}
