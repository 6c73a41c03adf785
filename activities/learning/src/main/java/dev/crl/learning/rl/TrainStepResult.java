package dev.crl.learning.rl;

/**
 * What one optimiser step did.
 *
 * @param step optimiser step number after this update (1 for the first)
 * @param loss the objective's value (already normalised over the whole batch)
 * @param gradNorm global L2 norm of the gradient before clipping; NaN or infinite means the
 *     update was skipped (see {@link #skipped()})
 * @param clipFraction fraction of trainable tokens whose ratio was clipped (0 for SFT)
 * @param entropy mean entropy of the policy over trainable tokens, in nats
 * @param approxKl mean k3 estimate of KL(sampling policy || policy before this step) over the
 *     trainable tokens, i.e. how far earlier steps had already moved the policy on this batch
 *     (0 for SFT, which has no sampling policy)
 * @param tokens number of trainable tokens
 * @param tokensPerSecond all tokens processed (forward and backward) per wall-clock second
 * @param learningRate the learning rate used
 */
public record TrainStepResult(
    long step, double loss, double gradNorm, double clipFraction, double entropy, double approxKl, long tokens, double tokensPerSecond, double learningRate) {

  /** True when the gradient was not finite and the weights were left unchanged. */
  public boolean skipped() {
    return !Double.isFinite(gradNorm);
  }
}
