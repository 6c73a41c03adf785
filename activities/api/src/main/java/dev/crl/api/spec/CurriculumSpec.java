package dev.crl.api.spec;

import java.util.List;

/**
 * A multi-task curriculum: stages run one after another, each a child training run that starts
 * from the previous stage's checkpoints and bank.
 *
 * @param stages the stages, in order
 */
public record CurriculumSpec(List<StageSpec> stages) {
  public CurriculumSpec {
    stages = stages == null ? List.of() : List.copyOf(stages);
  }

  /**
   * One stage.
   *
   * @param name stage name (used in run ids)
   * @param tasks the stage's task mixture
   * @param iterations iterations per attempt of the stage
   * @param promoteAt evaluation success (with experience) needed to move on; 0 always promotes
   * @param maxAttempts attempts before the curriculum gives up on this stage and moves on
   */
  public record StageSpec(
      String name, TasksSpec tasks, Integer iterations, Double promoteAt, Integer maxAttempts) {
    public StageSpec {
      iterations = iterations == null ? 10 : iterations;
      promoteAt = promoteAt == null ? 0.0 : promoteAt;
      maxAttempts = maxAttempts == null ? 1 : maxAttempts;
    }
  }
}
