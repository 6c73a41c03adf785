package dev.crl.environments;

import java.util.Map;

/**
 * The outcome of one step.
 *
 * @param observation what the agent sees after the step
 * @param reward the reward of this step (1 on success for most families, -1 on ALFWorld failure)
 * @param terminated the episode ended because the task was solved or irrecoverably failed
 * @param truncated the episode ended because the step limit was reached
 * @param invalidAction the action could not be parsed or was not available; the state is unchanged
 * @param success the task is solved
 * @param info extra per-step facts, e.g. {@code invalid_action} with the reason
 */
public record StepResult(
    Observation observation,
    double reward,
    boolean terminated,
    boolean truncated,
    boolean invalidAction,
    boolean success,
    Map<String, String> info) {

  public StepResult {
    info = info == null ? Map.of() : Map.copyOf(info);
  }

  /** True when the episode is over for either reason. */
  public boolean done() {
    return terminated || truncated;
  }
}
