package dev.crl.activities.training;

import dev.crl.activities.experience.ExtractorTrainingSample;
import dev.crl.api.spec.AlgorithmSpec;
import dev.crl.learning.rl.Advantages;
import dev.crl.learning.rl.CispoConfig;
import dev.crl.learning.rl.RlSample;
import dev.crl.learning.rl.RlTrainer;
import dev.crl.learning.rl.TrainStepResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The extractor's CISPO update on its buffered samples (PAPER.md section 4): rewards in
 * [-1, 1] from the guided episodes that used each sample's entries, a batch-mean baseline, the
 * Eq. 7 training-count weight per sample, and the clipped importance weight with stop-gradient.
 */
public final class ExtractorUpdate {
  private final AlgorithmSpec algorithm;

  public ExtractorUpdate(AlgorithmSpec algorithm) {
    this.algorithm = algorithm;
  }

  public Map<String, Double> apply(RlTrainer trainer, List<ExtractorTrainingSample> buffer) {
    Map<String, Double> stats = new LinkedHashMap<>();
    stats.put("samples", (double) buffer.size());
    double[] rewards = buffer.stream().mapToDouble(ExtractorTrainingSample::reward).toArray();
    double[] adv = Advantages.batchMean(rewards);
    List<RlSample> samples = new ArrayList<>();
    for (int i = 0; i < buffer.size(); i++) {
      ExtractorTrainingSample s = buffer.get(i);
      if (s.weight() > 0 && Math.abs(adv[i]) > 1e-9 && s.responseTokens().length > 0) {
        samples.add(RlSample.fromGeneration(s.promptTokens(), s.responseTokens(), s.logprobs(), adv[i], s.weight()));
      }
    }
    stats.put("reward_mean", rewards.length == 0 ? 0 : java.util.Arrays.stream(rewards).average().orElse(0));
    stats.put("trained_samples", (double) samples.size());
    if (samples.isEmpty()) {
      return stats;
    }
    TrainStepResult r = trainer.cispoStep(samples, new CispoConfig(algorithm.cispoEpsLow(), algorithm.cispoEpsHigh()));
    stats.putAll(TrainingActivitiesImpl.stepStats(r));
    return stats;
  }
}
