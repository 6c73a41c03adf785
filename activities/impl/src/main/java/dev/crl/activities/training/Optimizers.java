package dev.crl.activities.training;

import dev.crl.api.spec.RunSpec;
import dev.crl.learning.rl.OptimizerConfig;

/** AdamW settings of the two models, from the run spec (constant learning rate, as in the paper). */
final class Optimizers {
  /** Sequences per forward/backward pass; bounds activation memory on small machines. */
  static final int MICRO_BATCH = 64;

  private Optimizers() {}

  static OptimizerConfig actor(RunSpec spec) {
    return OptimizerConfig.builder().setLearningRate(spec.algorithm().actorLr())
        .optMaxGradNorm(spec.algorithm().maxGradNorm()).optMicroBatchSize(MICRO_BATCH).build();
  }

  static OptimizerConfig extractor(RunSpec spec) {
    return OptimizerConfig.builder().setLearningRate(spec.algorithm().extractorLr())
        .optMaxGradNorm(spec.algorithm().maxGradNorm()).optMicroBatchSize(MICRO_BATCH / 4).build();
  }
}
