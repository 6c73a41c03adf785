package dev.crl.learning.sampling;

/**
 * One generated continuation.
 *
 * @param promptTokens the prompt ids as fed to the model
 * @param tokens generated ids, including the end-of-sequence or stop-completing token when present
 * @param logprobs log-probability of each generated token under the model's distribution at
 *     temperature 1 before top-k/top-p, restricted to the allowed tokens where a constraint was
 *     active (the quantity the trainer recomputes for importance ratios)
 * @param text decoded generated text, cut before a matched stop sequence
 * @param finishReason why the row stopped
 * @param allowedTokens for each generated token, the ids the constraint allowed at that step
 *     (sorted), or null for every step when the row was not constrained; a trainer passes them on
 *     so that it recomputes the same masked distribution
 */
public record Generation(
    int[] promptTokens, int[] tokens, float[] logprobs, String text, FinishReason finishReason, int[][] allowedTokens) {

  /** An unconstrained generation. */
  public Generation(int[] promptTokens, int[] tokens, float[] logprobs, String text, FinishReason finishReason) {
    this(promptTokens, tokens, logprobs, text, finishReason, null);
  }

  /** Why a row stopped generating. */
  public enum FinishReason {
    EOS,
    STOP_SEQUENCE,
    LENGTH,
    CONSTRAINT_COMPLETE
  }

  /** Sum of the per-token log-probabilities. */
  public double totalLogprob() {
    double s = 0;
    for (float l : logprobs) {
      s += l;
    }
    return s;
  }
}
