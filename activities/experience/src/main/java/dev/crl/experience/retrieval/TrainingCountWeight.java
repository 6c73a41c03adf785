package dev.crl.experience.retrieval;

import dev.crl.experience.EntryStats;

/**
 * The paper's training-count reweighting of extractor samples (Eq. 7): a sample built on an entry
 * gets weight 0 while the entry is in its cooldown (trained within δ extractor steps), and
 * (1 + c_train)^(−α) otherwise, so entries that were already trained on many times stop dominating
 * the extractor's updates.
 */
public final class TrainingCountWeight {

  private final long cooldownSteps;
  private final double alpha;

  /** A weighting with cooldown δ and exponent α. */
  public TrainingCountWeight(long cooldownSteps, double alpha) {
    this.cooldownSteps = cooldownSteps;
    this.alpha = alpha;
  }

  /**
   * The weight of a sample built on an entry with {@code stats}, at extractor step
   * {@code currentStep}. "Trained within δ steps" means {@code currentStep − lastTrainedStep ≤ δ}.
   */
  public double weight(EntryStats stats, long currentStep) {
    long last = stats.lastTrainedStep();
    if (last >= 0 && currentStep - last <= cooldownSteps) {
      return 0.0;
    }
    return Math.pow(1.0 + stats.timesTrained(), -alpha);
  }
}
