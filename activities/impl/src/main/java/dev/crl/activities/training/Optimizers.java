package dev.crl.activities.training;

import dev.crl.api.spec.RunSpec;
import dev.crl.learning.rl.OptimizerConfig;

/**
 * AdamW settings of the two models, from the run spec: a constant learning rate as in the paper,
 * or for the actor an optional linear warm-up ({@code algorithm.actor_lr_warmup_steps}) and a
 * cosine decay over the run ({@code algorithm.actor_lr_schedule}).
 */
final class Optimizers {
  /** Sequences per forward/backward pass; bounds activation memory on small machines. */
  static final int MICRO_BATCH = 64;

  private Optimizers() {}

  static OptimizerConfig actor(RunSpec spec) {
    OptimizerConfig.Builder b = OptimizerConfig.builder().setLearningRate(spec.algorithm().actorLr())
        .optMaxGradNorm(spec.algorithm().maxGradNorm()).optMicroBatchSize(MICRO_BATCH)
        .optWarmupSteps(spec.algorithm().actorLrWarmupSteps());
    if ("cosine".equals(spec.algorithm().actorLrSchedule())) {
      // One optimizer step per mini-batch and iteration: the schedule ends with the budget. A
      // warm-up as long as the whole budget leaves no room for a decay; then the rate only rises.
      long total = (long) spec.budget().iterations() * spec.algorithm().minibatches();
      if (total > spec.algorithm().actorLrWarmupSteps()) {
        b.optCosineDecay(total);
      }
    }
    return b.build();
  }

  static OptimizerConfig extractor(RunSpec spec) {
    return OptimizerConfig.builder().setLearningRate(spec.algorithm().extractorLr())
        .optMaxGradNorm(spec.algorithm().maxGradNorm()).optMicroBatchSize(MICRO_BATCH / 4).build();
  }
}
