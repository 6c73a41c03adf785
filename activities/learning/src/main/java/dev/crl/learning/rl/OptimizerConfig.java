package dev.crl.learning.rl;

/**
 * AdamW and step settings. Build with {@link #builder()}: {@code setLearningRate} is required,
 * everything else has a default.
 */
public record OptimizerConfig(
    double learningRate,
    double beta1,
    double beta2,
    double epsilon,
    double weightDecay,
    double maxGradNorm,
    int microBatchSize,
    int warmupSteps,
    long totalSteps,
    boolean cosineDecay) {

  public OptimizerConfig {
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("Adam betas must be in [0, 1)");
    }
    if (weightDecay < 0 || maxGradNorm < 0 || microBatchSize < 0 || warmupSteps < 0) {
      throw new IllegalArgumentException("weight decay, max grad norm, micro-batch size and warm-up must be >= 0");
    }
    if (cosineDecay && totalSteps <= warmupSteps) {
      throw new IllegalArgumentException("cosine decay needs totalSteps > warmupSteps");
    }
  }

  /** Learning rate for the given 1-based step: linear warm-up, then constant or cosine to 10%. */
  public double learningRateAt(long step) {
    if (warmupSteps > 0 && step <= warmupSteps) {
      return learningRate * step / warmupSteps;
    }
    if (!cosineDecay) {
      return learningRate;
    }
    double progress = Math.min(1.0, (double) (step - warmupSteps) / (totalSteps - warmupSteps));
    return learningRate * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder: setX for required values, optX for optional ones. */
  public static final class Builder {
    private double learningRate = Double.NaN;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-8;
    private double weightDecay = 0.0;
    private double maxGradNorm = 1.0;
    private int microBatchSize = 0;
    private int warmupSteps = 0;
    private long totalSteps = 0;
    private boolean cosine = false;

    public Builder setLearningRate(double lr) {
      this.learningRate = lr;
      return this;
    }

    public Builder optBetas(double b1, double b2) {
      this.beta1 = b1;
      this.beta2 = b2;
      return this;
    }

    public Builder optEpsilon(double eps) {
      this.epsilon = eps;
      return this;
    }

    /** Decoupled weight decay, applied to matrices only (not norms or biases). */
    public Builder optWeightDecay(double wd) {
      this.weightDecay = wd;
      return this;
    }

    /** Global gradient-norm clip; 0 disables clipping. */
    public Builder optMaxGradNorm(double norm) {
      this.maxGradNorm = norm;
      return this;
    }

    /** Sequences per forward/backward pass; gradients accumulate across them. 0 = whole batch. */
    public Builder optMicroBatchSize(int n) {
      this.microBatchSize = n;
      return this;
    }

    public Builder optWarmupSteps(int n) {
      this.warmupSteps = n;
      return this;
    }

    /** Cosine decay to 10% of the peak rate at {@code totalSteps}. */
    public Builder optCosineDecay(long totalSteps) {
      this.cosine = true;
      this.totalSteps = totalSteps;
      return this;
    }

    public OptimizerConfig build() {
      if (Double.isNaN(learningRate)) {
        throw new IllegalStateException("setLearningRate is required");
      }
      return new OptimizerConfig(learningRate, beta1, beta2, epsilon, weightDecay, maxGradNorm, microBatchSize, warmupSteps, totalSteps, cosine);
    }
  }
}
