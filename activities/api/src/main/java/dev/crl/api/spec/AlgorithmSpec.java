package dev.crl.api.spec;

/**
 * Algorithm hyperparameters. Every default is the paper's value (PAPER.md sections 3 to 5 and
 * appendix C.2); where the released code differs, the code's value is available as an option.
 *
 * @param groupSize K rollouts per task instance
 * @param guidedFraction share of each group that runs with a retrieved experience (paper: 1/2)
 * @param advantageNorm {@code mean_std} (paper) or {@code mean} (released code)
 * @param clipEps PPO clip range of the actor's ratio
 * @param klCoef KL penalty against the reference policy; 0 disables it (paper)
 * @param actorLr actor learning rate (AdamW; its peak when {@code actorLrSchedule} decays it)
 * @param extractorLr extractor learning rate
 * @param cispoEpsLow CISPO lower clip of the importance weight
 * @param cispoEpsHigh CISPO upper clip of the importance weight
 * @param maxGradNorm gradient clipping threshold
 * @param extractorBuffer extractor samples collected before one CISPO update
 * @param mergeEvery actor updates between two bank merges
 * @param mergeChunk entries per merge call
 * @param bankCapacity FIFO cap of the experience bank
 * @param retrievalTopK entries retrieved per guided episode
 * @param retrievalWarmupSteps iterations before retrieval starts
 * @param diversityLambda Eq. 6 penalty weight on the retrieval count
 * @param recencyWindowSeconds Eq. 6 recency window
 * @param oversampling Eq. 6 candidate oversampling factor
 * @param recentDemoteProb probability of demoting a recently retrieved top-1
 * @param trainCooldownSteps Eq. 7 cooldown delta in extractor steps
 * @param trainCountAlpha Eq. 7 exponent alpha
 * @param actorSampling actor sampling settings
 * @param extractorTemperature extractor sampling temperature
 * @param minibatches optimizer steps per actor update; the iteration's samples are split evenly
 *     (1 = one on-policy step, as in the paper; more makes the PPO clip matter)
 * @param formatPenalty subtracted from the advantage of each turn whose action was rejected (0
 *     in the paper; a format penalty helps models trained from scratch learn the action format)
 * @param turnDiscount γ of the per-turn credit: turn t of an episode of T turns trains with the
 *     episode's advantage times γ^(T−1−t), so the turns just before the outcome carry most of it
 *     (1 = every turn gets the whole advantage, the paper's trajectory-level GRPO)
 * @param actorKlStop bound on the approximate KL between the rollout policy and the actor being
 *     updated: once a mini-batch measures more, that mini-batch's step is the update's last (PPO's
 *     early stop; 0 = every mini-batch runs, as the paper's single on-policy step has no need of it)
 * @param actorLrSchedule {@code constant} (paper) or {@code cosine}: a cosine from {@code actorLr}
 *     down to 10% of it over the run's actor optimizer steps ({@code budget.iterations} ×
 *     {@code minibatches}), so that late updates refine the policy instead of shaking it
 * @param actorLrWarmupSteps actor optimizer steps over which the learning rate rises linearly
 *     from 0 to {@code actorLr} (0 = none, as in the paper). Adam's first steps move every weight
 *     by about the full rate whatever the gradient's size, which for a model trained from scratch
 *     is a large random move of the policy
 * @param mode which models learn: {@code complementary} (both), {@code grpo} (no experience),
 *     {@code static_extractor} (frozen extractor), {@code experience_only} (frozen actor)
 */
public record AlgorithmSpec(
    Integer groupSize,
    Double guidedFraction,
    String advantageNorm,
    Double clipEps,
    Double klCoef,
    Double actorLr,
    Double extractorLr,
    Double cispoEpsLow,
    Double cispoEpsHigh,
    Double maxGradNorm,
    Integer extractorBuffer,
    Integer mergeEvery,
    Integer mergeChunk,
    Integer bankCapacity,
    Integer retrievalTopK,
    Integer retrievalWarmupSteps,
    Double diversityLambda,
    Double recencyWindowSeconds,
    Integer oversampling,
    Double recentDemoteProb,
    Integer trainCooldownSteps,
    Double trainCountAlpha,
    SamplingSpec actorSampling,
    Double extractorTemperature,
    Integer minibatches,
    Double formatPenalty,
    Double turnDiscount,
    Double actorKlStop,
    String actorLrSchedule,
    Integer actorLrWarmupSteps,
    String mode) {

  public AlgorithmSpec {
    groupSize = orDefault(groupSize, 8);
    guidedFraction = orDefault(guidedFraction, 0.5);
    advantageNorm = orDefault(advantageNorm, "mean_std");
    clipEps = orDefault(clipEps, 0.2);
    klCoef = orDefault(klCoef, 0.0);
    actorLr = orDefault(actorLr, 1e-6);
    extractorLr = orDefault(extractorLr, 1e-6);
    cispoEpsLow = orDefault(cispoEpsLow, 0.1);
    cispoEpsHigh = orDefault(cispoEpsHigh, 0.1);
    maxGradNorm = orDefault(maxGradNorm, 1.0);
    extractorBuffer = orDefault(extractorBuffer, 64);
    mergeEvery = orDefault(mergeEvery, 5);
    mergeChunk = orDefault(mergeChunk, 5);
    bankCapacity = orDefault(bankCapacity, 20_000);
    retrievalTopK = orDefault(retrievalTopK, 1);
    retrievalWarmupSteps = orDefault(retrievalWarmupSteps, 5);
    diversityLambda = orDefault(diversityLambda, 0.4);
    recencyWindowSeconds = orDefault(recencyWindowSeconds, 300.0);
    oversampling = orDefault(oversampling, 16);
    recentDemoteProb = orDefault(recentDemoteProb, 0.5);
    trainCooldownSteps = orDefault(trainCooldownSteps, 1);
    trainCountAlpha = orDefault(trainCountAlpha, 0.5);
    actorSampling = actorSampling == null ? new SamplingSpec(null, null, null) : actorSampling;
    extractorTemperature = orDefault(extractorTemperature, 1.0);
    minibatches = orDefault(minibatches, 1);
    formatPenalty = orDefault(formatPenalty, 0.0);
    turnDiscount = orDefault(turnDiscount, 1.0);
    actorKlStop = orDefault(actorKlStop, 0.0);
    actorLrSchedule = orDefault(actorLrSchedule, "constant");
    actorLrWarmupSteps = orDefault(actorLrWarmupSteps, 0);
    mode = orDefault(mode, "complementary");
  }

  /** The paper's settings. */
  public static AlgorithmSpec defaults() {
    return new AlgorithmSpec(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** Whether the actor's weights change in this mode. */
  public boolean actorLearns() {
    return !"experience_only".equals(mode);
  }

  /** Whether the extractor's weights change in this mode. */
  public boolean extractorLearns() {
    return "complementary".equals(mode) || "experience_only".equals(mode);
  }

  /** Whether any rollout is experience-guided in this mode. */
  public boolean usesExperience() {
    return !"grpo".equals(mode);
  }

  private static <T> T orDefault(T value, T fallback) {
    return value == null ? fallback : value;
  }

  /**
   * Actor sampling settings (paper: temperature 0.99, top-p 0.99, top-k 100).
   *
   * @param temperature softmax temperature
   * @param topP nucleus mass
   * @param topK candidates kept before nucleus filtering
   */
  public record SamplingSpec(Double temperature, Double topP, Integer topK) {
    public SamplingSpec {
      temperature = temperature == null ? 0.99 : temperature;
      topP = topP == null ? 0.99 : topP;
      topK = topK == null ? 100 : topK;
    }
  }
}
