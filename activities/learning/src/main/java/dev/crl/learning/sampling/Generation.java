package dev.crl.learning.sampling;

/**
 * One generated continuation.
 *
 * @param promptTokens the prompt ids as fed to the model
 * @param tokens generated ids, including the end-of-sequence or stop-completing token when present
 * @param logprobs log-probability of each generated token under the model's unfiltered
 *     distribution at temperature 1 (the quantity the trainer recomputes for importance ratios)
 * @param text decoded generated text, cut before a matched stop sequence
 * @param finishReason why the row stopped
 */
public record Generation(int[] promptTokens, int[] tokens, float[] logprobs, String text, FinishReason finishReason) {

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
