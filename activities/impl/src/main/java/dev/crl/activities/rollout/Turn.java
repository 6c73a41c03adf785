package dev.crl.activities.rollout;

/**
 * One actor turn: the prompt it saw, what it generated (with the sampling log-probabilities the
 * GRPO ratio needs), the action the environment received and what came back.
 *
 * @param promptTokens prompt token ids
 * @param generatedTokens generated token ids
 * @param logprobs log-probability of each generated token under the sampling policy
 * @param action the decoded text sent to the environment
 * @param reward the step's reward
 * @param invalid whether the environment rejected the action
 * @param message the environment's message after the step (first line of its feedback)
 * @param allowedTokens for each generated token, the ids the action mask allowed (the trainer
 *     recomputes the masked distribution from them); null when the turn was not constrained
 */
public record Turn(
    int[] promptTokens,
    int[] generatedTokens,
    float[] logprobs,
    String action,
    double reward,
    boolean invalid,
    String message,
    int[][] allowedTokens) {

  /** An unconstrained turn. */
  public Turn(int[] promptTokens, int[] generatedTokens, float[] logprobs, String action, double reward,
      boolean invalid, String message) {
    this(promptTokens, generatedTokens, logprobs, action, reward, invalid, message, null);
  }
}
