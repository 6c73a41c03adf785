package dev.crl.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.activities.rollout.Trajectory;
import dev.crl.activities.rollout.Turn;
import dev.crl.api.spec.AlgorithmSpec;
import dev.crl.learning.PolicyModel;
import dev.crl.learning.rl.OptimizerConfig;
import dev.crl.learning.rl.RlSample;
import dev.crl.learning.rl.RlTrainer;
import dev.crl.learning.tokenizer.WordTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActorUpdateTest {
  private static Trajectory episode(int group, boolean guided, double reward, int turns) {
    List<Turn> t = new ArrayList<>();
    for (int i = 0; i < turns; i++) {
      t.add(new Turn(new int[] {1, 2, 3}, new int[] {4}, new float[] {-0.5f}, "north", 0, false, ""));
    }
    return new Trajectory("e" + group + guided + reward + turns, "minihack-room", 1, group, guided,
        guided ? "x" : null, guided ? "lesson" : null, "goal", "obs", t, reward > 0, reward, reward, 0);
  }

  @Test
  void advantagesAreNormalisedWithinEachSubgroupSeparately() {
    // Free subgroup: rewards 1, 0. Guided subgroup: rewards 1, 1 (no signal).
    List<Trajectory> eps = List.of(episode(0, false, 1, 2), episode(0, false, 0, 2),
        episode(0, true, 1, 2), episode(0, true, 1, 2));
    double[] adv = new ActorUpdate(AlgorithmSpec.defaults()).advantages(eps);
    assertTrue(adv[0] > 0 && adv[1] < 0, "free subgroup: success above, failure below its mean");
    assertEquals(-adv[0], adv[1], 1e-9);
    assertEquals(0.0, adv[2], 1e-9, "a guided subgroup of equal rewards has no signal");
    assertEquals(0.0, adv[3], 1e-9);
  }

  @Test
  void oneSamplePerTurnOfEpisodesWithSignalCarryingTheEpisodeAdvantage() {
    List<Trajectory> eps = List.of(episode(0, false, 1, 3), episode(0, false, 0, 2),
        episode(1, false, 0, 4), episode(1, false, 0, 4));
    List<RlSample> samples = new ActorUpdate(AlgorithmSpec.defaults()).samples(eps);
    assertEquals(5, samples.size(), "3 + 2 turns of group 0; group 1 has equal rewards and no samples");
    RlSample first = samples.get(0);
    assertEquals(4, first.tokens().length);
    assertTrue(first.trainable()[3] && !first.trainable()[0], "only generated tokens are trained");
    assertEquals(-0.5f, first.oldLogprobs()[3]);
  }

  @Test
  void groupsDoNotMixAcrossTaskInstances() {
    // Same rewards pattern in two groups with different scales gives the same advantages.
    List<Trajectory> eps = List.of(episode(0, false, 1, 1), episode(0, false, 0, 1),
        episode(1, false, 0.5, 1), episode(1, false, 0.25, 1));
    double[] adv = new ActorUpdate(AlgorithmSpec.defaults()).advantages(eps);
    assertEquals(adv[0], adv[2], 1e-4, "the std epsilon is the only difference");
    assertEquals(adv[1], adv[3], 1e-4);
  }

  @Test
  void aTurnDiscountGivesTheLastTurnsMostOfTheCredit() {
    List<Trajectory> eps = List.of(episode(0, false, 1, 3), episode(0, false, 0, 2));
    AlgorithmSpec discounted = new AlgorithmSpec(null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, 0.5, null, null, null, null);
    ActorUpdate update = new ActorUpdate(discounted);
    double[] adv = update.advantages(eps);
    List<RlSample> samples = update.samples(eps);
    assertEquals(5, samples.size());
    assertEquals(adv[0] * 0.25, samples.get(0).advantage(), 1e-9, "first of three turns: γ²");
    assertEquals(adv[0] * 0.5, samples.get(1).advantage(), 1e-9);
    assertEquals(adv[0], samples.get(2).advantage(), 1e-9, "the last turn keeps the whole advantage");
    assertEquals(adv[1] * 0.5, samples.get(3).advantage(), 1e-9);
    assertEquals(adv[1], samples.get(4).advantage(), 1e-9);
  }

  @Test
  void aKlBoundEndsTheUpdateAtTheFirstMiniBatchThatMeasuresMore() {
    // The turns' recorded log-probabilities (-0.5) are not the random model's, so every
    // mini-batch measures a positive KL; a bound below it stops after the first step.
    List<Trajectory> eps = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      eps.add(episode(0, false, i % 2, 2));
    }
    WordTokenizer tok = WordTokenizer.of(List.of("a", "b", "c", "d", "e", "f"));
    for (double bound : new double[] {0.0, 1e-6, 100.0}) {
      AlgorithmSpec spec = new AlgorithmSpec(null, null, null, null, null, 1e-3, null, null, null, null, null,
          null, null, null, null, null, null, null, null, null, null, null, null, null, 4, null, null, bound, null, null, null);
      try (PolicyModel model = PolicyModel.createTiny("tiny", tok, 1);
          RlTrainer trainer = new RlTrainer(model, OptimizerConfig.builder().setLearningRate(1e-3).build())) {
        Map<String, Double> stats = new ActorUpdate(spec).apply(trainer, eps, step -> {});
        double expected = bound == 1e-6 ? 1 : 4;
        assertEquals(expected, stats.get("steps"), "steps under bound " + bound);
        assertTrue(stats.get("approx_kl") > 1e-6, "the recorded log-probabilities are off-policy");
      }
    }
  }

  @Test
  void maskedTurnsCarryTheirAllowedIdsIntoTheSample() {
    Turn masked = new Turn(new int[] {1, 2}, new int[] {4}, new float[] {-1f}, "north", 0, false, "",
        new int[][] {{4, 5, 6}});
    Trajectory win = new Trajectory("w", "minihack-room", 1, 0, false, null, null, "goal", "obs",
        List.of(masked), true, 1, 1, 0);
    Trajectory loss = episode(0, false, 0, 1);
    RlSample sample = new ActorUpdate(AlgorithmSpec.defaults()).samples(List.of(win, loss)).get(0);
    assertEquals(null, sample.allowedTokens()[1], "prompt tokens are not constrained");
    assertEquals(List.of(4, 5, 6), java.util.Arrays.stream(sample.allowedTokens()[2]).boxed().toList());
  }
}
