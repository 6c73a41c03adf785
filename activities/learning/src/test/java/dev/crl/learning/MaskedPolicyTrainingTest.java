package dev.crl.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.learning.rl.GrpoConfig;
import dev.crl.learning.rl.OptimizerConfig;
import dev.crl.learning.rl.RlSample;
import dev.crl.learning.rl.RlTrainer;
import dev.crl.learning.rl.TrainStepResult;
import dev.crl.learning.sampling.Generation;
import dev.crl.learning.sampling.OneTokenOf;
import dev.crl.learning.sampling.SamplingParams;
import dev.crl.learning.sampling.TokenConstraint;
import dev.crl.learning.tokenizer.WordTokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A constrained (action-masked) policy is sampled and trained as the same masked distribution:
 * the sampler's log-probabilities are those of the softmax over the allowed ids, the trainer
 * recomputes exactly those, so the first PPO step is on-policy (every ratio is 1, nothing clipped)
 * and the entropy it reports is bounded by the number of allowed ids.
 */
class MaskedPolicyTrainingTest {
  private static final int[] ALLOWED_WORDS = {3, 5, 8};

  @Test
  void trainerRecomputesTheMaskedDistributionTheSamplerDrewFrom() {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      words.add("w" + i);
    }
    WordTokenizer tok = WordTokenizer.of(words);
    int[] allowed = new int[ALLOWED_WORDS.length];
    for (int i = 0; i < allowed.length; i++) {
      allowed[i] = tok.encode("w" + ALLOWED_WORDS[i])[0];
    }
    java.util.Arrays.sort(allowed);
    TokenConstraint oneOf = new OneTokenOf(allowed);
    try (PolicyModel model = PolicyModel.createTiny("tiny", tok, 3);
        RlTrainer trainer = new RlTrainer(model, OptimizerConfig.builder().setLearningRate(1e-3).build())) {
      List<int[]> prompts = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        prompts.add(tok.encode("w" + (10 + i) + " w" + (30 + i % 7) + " w2"));
      }
      List<Generation> gens = model.generate(prompts, SamplingParams.sample(1, 1.0).withConstraint(oneOf), 17);
      List<RlSample> samples = new ArrayList<>();
      double logprobSum = 0;
      for (int i = 0; i < gens.size(); i++) {
        Generation g = gens.get(i);
        assertNotNull(g.allowedTokens(), "a constrained generation reports its allowed ids");
        assertEquals(List.of(allowed[0], allowed[1], allowed[2]),
            java.util.Arrays.stream(g.allowedTokens()[0]).boxed().toList());
        // Under three allowed ids a token's masked probability is at least a few percent, far
        // above what the whole 60-word softmax of a random model gives it.
        logprobSum += g.logprobs()[0];
        samples.add(RlSample.fromGeneration(g.promptTokens(), g.tokens(), g.logprobs(), g.allowedTokens(),
            i % 2 == 0 ? 1.0 : -1.0, 1.0));
      }
      assertTrue(logprobSum / gens.size() > -Math.log(60) + 1.0,
          "mean masked log-probability " + logprobSum / gens.size());
      TrainStepResult step = trainer.grpoStep(samples, new GrpoConfig(1e-4, 0.0, GrpoConfig.Aggregation.TOKEN_MEAN));
      assertEquals(0.0, step.clipFraction(), "on-policy ratios must all be 1 within the clip range");
      assertTrue(step.entropy() <= Math.log(allowed.length) + 1e-4, "masked entropy " + step.entropy());
      assertTrue(step.entropy() > 0.5, "masked entropy " + step.entropy());
      assertEquals(0.0, step.approxKl(), 1e-6, "on-policy, the sampling and trained policies are one");
      TrainStepResult second = trainer.grpoStep(samples, new GrpoConfig(0.2, 0.0, GrpoConfig.Aggregation.TOKEN_MEAN));
      assertTrue(second.approxKl() > 1e-7, "one Adam step moved the policy: approximate KL " + second.approxKl());
    }
  }

  @Test
  void aSampleWhoseTokenIsOutsideItsAllowedIdsIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> RlSample.fromGeneration(
        new int[] {1, 2}, new int[] {4}, new float[] {-0.5f}, new int[][] {{3, 5}}, 1.0, 1.0));
  }
}
