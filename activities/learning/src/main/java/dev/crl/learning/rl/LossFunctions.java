package dev.crl.learning.rl;

import ai.djl.ndarray.NDArray;
import dev.crl.learning.model.Decoder;

/**
 * The policy objectives as pure NDArray functions of per-token log-probabilities, so they can be
 * checked against a PyTorch reference independently of the model.
 *
 * <p>All arrays are [B, T]: {@code logprobs} (with gradient), {@code oldLogprobs}, {@code mask}
 * (1 where a token is trainable). {@code advantages} and {@code weights} are [B]. The
 * {@code normalizer} is computed over the whole batch so that micro-batches accumulate to the
 * full-batch gradient.
 */
public final class LossFunctions {
  private LossFunctions() {}

  /**
   * GRPO's clipped surrogate, negated for minimisation. With {@link GrpoConfig.Aggregation#SEQUENCE_MEAN}
   * the normalizer is the sum of weights over the batch; with TOKEN_MEAN it is the total number of
   * trainable tokens.
   */
  public static NDArray grpo(
      NDArray logprobs, NDArray oldLogprobs, NDArray mask, NDArray advantages, NDArray weights,
      double epsilon, GrpoConfig.Aggregation aggregation, double normalizer) {
    return grpo(logprobs, oldLogprobs, null, 0, mask, advantages, weights, epsilon, aggregation, normalizer);
  }

  /**
   * GRPO with an optional k3 KL penalty against {@code refLogprobs} (ignored when
   * {@code klCoefficient} is 0), aggregated the same way as the surrogate.
   */
  public static NDArray grpo(
      NDArray logprobs, NDArray oldLogprobs, NDArray refLogprobs, double klCoefficient, NDArray mask,
      NDArray advantages, NDArray weights, double epsilon, GrpoConfig.Aggregation aggregation, double normalizer) {
    NDArray adv = advantages.expandDims(1);
    NDArray ratio = logprobs.sub(oldLogprobs).exp();
    NDArray unclipped = ratio.mul(adv);
    NDArray clipped = ratio.clip(1 - epsilon, 1 + epsilon).mul(adv);
    NDArray tokenLoss = unclipped.minimum(clipped).neg();
    if (klCoefficient > 0) {
      NDArray diff = refLogprobs.sub(logprobs);
      tokenLoss = tokenLoss.add(diff.exp().sub(diff).sub(1f).mul(Decoder.constant(logprobs, klCoefficient)));
    }
    tokenLoss = tokenLoss.mul(mask);
    NDArray perSample;
    if (aggregation == GrpoConfig.Aggregation.SEQUENCE_MEAN) {
      perSample = tokenLoss.sum(new int[] {1}).div(mask.sum(new int[] {1}).maximum(1f));
    } else {
      perSample = tokenLoss.sum(new int[] {1});
    }
    return perSample.mul(weights).sum().mul(Decoder.constant(logprobs, 1.0 / normalizer));
  }

  /**
   * Sum over trainable tokens of the k3 estimate of KL(sampling policy || current policy),
   * r - 1 - log r with r = exp(logp - old): never negative and unbiased, so its mean says how far
   * the weights have moved from the policy that generated the samples.
   */
  public static NDArray approxKlSum(NDArray logprobs, NDArray oldLogprobs, NDArray mask) {
    NDArray logRatio = logprobs.stopGradient().sub(oldLogprobs);
    return logRatio.exp().sub(1f).sub(logRatio).mul(mask).sum();
  }

  /** Number of trainable tokens whose clipped term was the active one. */
  public static NDArray grpoClippedCount(NDArray logprobs, NDArray oldLogprobs, NDArray mask, NDArray advantages, double epsilon) {
    NDArray adv = advantages.expandDims(1);
    NDArray ratio = logprobs.sub(oldLogprobs).exp();
    NDArray high = ratio.gt(1 + epsilon).logicalAnd(adv.gt(0));
    NDArray low = ratio.lt(1 - epsilon).logicalAnd(adv.lt(0));
    return high.logicalOr(low).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mul(mask).sum();
  }

  /**
   * CISPO: the clipped importance weight is a constant (stop-gradient) multiplying the
   * log-likelihood, so every token keeps a gradient. The normalizer is the batch's total number
   * of trainable tokens.
   */
  public static NDArray cispo(
      NDArray logprobs, NDArray oldLogprobs, NDArray mask, NDArray advantages, NDArray weights,
      double epsilonLow, double epsilonHigh, double normalizer) {
    NDArray ratio = logprobs.sub(oldLogprobs).exp().stopGradient();
    NDArray coefficient = ratio.clip(1 - epsilonLow, 1 + epsilonHigh);
    NDArray scale = advantages.mul(weights).expandDims(1);
    return logprobs.mul(coefficient).mul(scale).mul(mask).sum().neg().mul(Decoder.constant(logprobs, 1.0 / normalizer));
  }

  /** Number of trainable tokens whose importance weight was clipped. */
  public static NDArray cispoClippedCount(NDArray logprobs, NDArray oldLogprobs, NDArray mask, double epsilonLow, double epsilonHigh) {
    NDArray ratio = logprobs.sub(oldLogprobs).exp();
    return ratio.gt(1 + epsilonHigh).logicalOr(ratio.lt(1 - epsilonLow))
        .toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mul(mask).sum();
  }

  /** Weighted negative log-likelihood of the trainable tokens over the batch's token count. */
  public static NDArray crossEntropy(NDArray logprobs, NDArray mask, NDArray weights, double normalizer) {
    return logprobs.mul(mask).mul(weights.expandDims(1)).sum().neg().mul(Decoder.constant(logprobs, 1.0 / normalizer));
  }
}
