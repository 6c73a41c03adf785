package dev.crl.learning.rl;

/**
 * Settings of the actor's GRPO update.
 *
 * @param clipEpsilon PPO clip range ε (paper: 0.2)
 * @param klCoefficient weight of the k3 KL penalty, exp(ref - logp) - (ref - logp) - 1 per model
 *     token, against {@link RlSample#refLogprobs()}; 0 (the paper's choice) switches it off
 * @param aggregation how token losses become one number
 */
public record GrpoConfig(double clipEpsilon, double klCoefficient, Aggregation aggregation) {

  /** How per-token losses are averaged. */
  public enum Aggregation {
    /** Mean over each sequence's model tokens, then weighted mean over sequences (paper). */
    SEQUENCE_MEAN,
    /** Weighted mean over all model tokens of the batch. */
    TOKEN_MEAN
  }

  public GrpoConfig {
    if (!(clipEpsilon > 0 && clipEpsilon < 1)) {
      throw new IllegalArgumentException("clipEpsilon must be in (0, 1), got " + clipEpsilon);
    }
    if (klCoefficient < 0) {
      throw new IllegalArgumentException("klCoefficient must be >= 0, got " + klCoefficient);
    }
  }

  public static GrpoConfig defaults() {
    return new GrpoConfig(0.2, 0.0, Aggregation.SEQUENCE_MEAN);
  }
}
