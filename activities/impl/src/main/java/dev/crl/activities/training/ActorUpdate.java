package dev.crl.activities.training;

import dev.crl.activities.rollout.Trajectory;
import dev.crl.activities.rollout.Turn;
import dev.crl.api.spec.AlgorithmSpec;
import dev.crl.learning.rl.Advantages;
import dev.crl.learning.rl.GrpoConfig;
import dev.crl.learning.rl.RlSample;
import dev.crl.learning.rl.RlTrainer;
import dev.crl.learning.rl.TrainStepResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The actor's GRPO update on one iteration's episodes. Advantages are computed per episode
 * within its subgroup (its task instance's free or guided rollouts, PAPER.md section 3) and
 * given to every turn of the episode (or, with {@code turn_discount} γ &lt; 1, scaled by
 * γ^(turns after it), so that the turns leading to the outcome carry most of the credit); each
 * turn is one sample whose generated tokens are trained. The optional format penalty is charged
 * to the turn whose action was rejected, not to the whole episode, so the credit for a malformed
 * answer lands on that answer. Turns whose advantage is zero carry no gradient and are left out.
 * Action-masked turns are trained as the masked policy they were sampled from (their allowed ids
 * travel with the sample).
 */
public final class ActorUpdate {
  /** Discount weight below which a turn is left out of the update. */
  static final double NEGLIGIBLE_CREDIT = 0.01;

  private final AlgorithmSpec algorithm;

  public ActorUpdate(AlgorithmSpec algorithm) {
    this.algorithm = algorithm;
  }

  /** Advantage of each episode, in order. */
  public double[] advantages(List<Trajectory> episodes) {
    double[] rewards = episodes.stream().mapToDouble(Trajectory::reward).toArray();
    List<String> subgroups = episodes.stream().map(Trajectory::subgroup).toList();
    return Advantages.grpoSplit(rewards, subgroups, "mean_std".equals(algorithm.advantageNorm()));
  }

  /** The GRPO samples of the episodes. */
  public List<RlSample> samples(List<Trajectory> episodes) {
    double[] adv = advantages(episodes);
    List<RlSample> samples = new ArrayList<>();
    double penalty = algorithm.formatPenalty();
    double discount = algorithm.turnDiscount();
    for (int i = 0; i < episodes.size(); i++) {
      List<Turn> turns = episodes.get(i).turns();
      for (int k = 0; k < turns.size(); k++) {
        Turn t = turns.get(k);
        double weight = discount == 1.0 ? 1.0 : Math.pow(discount, turns.size() - 1 - k);
        if (weight < NEGLIGIBLE_CREDIT) {
          // Turns this far before the outcome would cost a full forward and backward pass for
          // less than a hundredth of the episode's advantage.
          continue;
        }
        double credit = adv[i] * weight;
        double a = credit - (t.invalid() ? penalty : 0.0);
        if (t.generatedTokens().length > 0 && Math.abs(a) > 1e-9) {
          samples.add(RlSample.fromGeneration(t.promptTokens(), t.generatedTokens(), t.logprobs(),
              t.allowedTokens(), a, 1.0));
        }
      }
    }
    return samples;
  }

  /**
   * Runs {@code algorithm.minibatches} optimizer steps over the samples and returns the mean
   * statistics. {@code onStep} hears each finished step (for heartbeats).
   */
  public Map<String, Double> apply(RlTrainer trainer, List<Trajectory> episodes, IntConsumer onStep) {
    List<RlSample> samples = samples(episodes);
    Map<String, Double> stats = new LinkedHashMap<>();
    stats.put("samples", (double) samples.size());
    if (samples.isEmpty()) {
      // Every subgroup had equal rewards: GRPO has no signal this iteration.
      stats.put("steps", 0.0);
      return stats;
    }
    // A fixed shuffle keeps mini-batches mixed across episodes and the update reproducible.
    java.util.Collections.shuffle(samples, new java.util.Random(samples.size() * 31L + episodes.size()));
    int batches = Math.min(algorithm.minibatches(), samples.size());
    GrpoConfig grpo = new GrpoConfig(algorithm.clipEps(), algorithm.klCoef(), GrpoConfig.Aggregation.TOKEN_MEAN);
    List<TrainStepResult> results = new ArrayList<>();
    double klStop = algorithm.actorKlStop();
    for (int b = 0; b < batches; b++) {
      int from = b * samples.size() / batches;
      int to = (b + 1) * samples.size() / batches;
      TrainStepResult r = trainer.grpoStep(samples.subList(from, to), grpo);
      results.add(r);
      onStep.accept(b + 1);
      if (klStop > 0 && r.approxKl() > klStop) {
        // This mini-batch had not been trained on, so its KL is a fair reading of how far the
        // earlier steps moved the policy from the one that played the episodes; going on would
        // train on ratios the clip no longer bounds in aggregate.
        break;
      }
    }
    stats.put("steps", (double) results.size());
    stats.putAll(mean(results));
    stats.put("approx_kl_max", results.stream().mapToDouble(TrainStepResult::approxKl).max().orElse(0));
    return stats;
  }

  static Map<String, Double> mean(List<TrainStepResult> results) {
    Map<String, Double> sum = new LinkedHashMap<>();
    for (TrainStepResult r : results) {
      TrainingActivitiesImpl.stepStats(r).forEach((k, v) -> sum.merge(k, v, Double::sum));
    }
    sum.replaceAll((k, v) -> v / results.size());
    return sum;
  }
}
