package dev.crl.workflows;

/**
 * Workflow ids derived from run ids, so a client can find a run's workflow again (status, signals,
 * resume) from nothing but the run id it chose.
 */
public final class WorkflowIds {
  private WorkflowIds() {}

  /** The training run workflow of {@code runId}. */
  public static String run(String runId) {
    return "crl-run-" + runId;
  }

  /** The curriculum workflow of {@code runId}. */
  public static String curriculum(String runId) {
    return "crl-curriculum-" + runId;
  }

  /** The evaluation of {@code runId}'s actor after {@code iteration} updates. */
  public static String evaluation(String runId, int iteration) {
    return "crl-eval-" + runId + "-" + iteration;
  }

  /** The run id of one attempt of a curriculum stage (attempts count from 1). */
  public static String stageRunId(String curriculumRunId, int stageIndex, String stageName, int attempt) {
    return curriculumRunId + "-s" + stageIndex + "-" + stageName + "-a" + attempt;
  }
}
