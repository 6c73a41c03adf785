package dev.crl.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.learning.rl.CispoConfig;
import dev.crl.learning.rl.GrpoConfig;
import dev.crl.learning.rl.OptimizerConfig;
import dev.crl.learning.rl.RlSample;
import dev.crl.learning.rl.RlTrainer;
import dev.crl.learning.rl.TrainStepResult;
import dev.crl.learning.sampling.Generation;
import dev.crl.learning.sampling.SamplingParams;
import dev.crl.learning.tokenizer.WordTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Gradient accumulation over micro-batches must give the same update as one full batch. */
class MicroBatchingTest {
  private static final WordTokenizer TOK = WordTokenizer.of(List.of("a", "b", "c", "d", "e", "f", "g", "h"));

  private static List<RlSample> samples(PolicyModel model) {
    List<int[]> prompts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      prompts.add(TOK.encode(i % 2 == 0 ? "a b c" : "d e f g h"));
    }
    List<Generation> gens = model.generate(prompts, SamplingParams.sample(5, 1.0), 1);
    List<RlSample> out = new ArrayList<>();
    for (int i = 0; i < gens.size(); i++) {
      Generation g = gens.get(i);
      out.add(RlSample.fromGeneration(g.promptTokens(), g.tokens(), g.logprobs(), i - 2.5, 0.5 + i % 3));
    }
    return out;
  }

  private static void check(BiFunction<RlTrainer, List<RlSample>, TrainStepResult> step) {
    OptimizerConfig full = OptimizerConfig.builder().setLearningRate(1e-2).build();
    OptimizerConfig micro = OptimizerConfig.builder().setLearningRate(1e-2).optMicroBatchSize(4).build();
    try (PolicyModel a = PolicyModel.createTiny("tiny", TOK, 8); PolicyModel b = PolicyModel.createTiny("tiny", TOK, 8);
        RlTrainer ta = new RlTrainer(a, full); RlTrainer tb = new RlTrainer(b, micro)) {
      List<RlSample> batch = samples(a);
      TrainStepResult ra = step.apply(ta, batch);
      TrainStepResult rb = step.apply(tb, batch);
      assertEquals(ra.loss(), rb.loss(), 1e-5);
      assertEquals(ra.gradNorm(), rb.gradNorm(), 1e-4 * Math.max(1, ra.gradNorm()));
      assertEquals(ra.entropy(), rb.entropy(), 1e-5);
      assertTrue(ra.gradNorm() > 0);
      int[] probe = TOK.encode("a c e g");
      float[][] la = a.logits(probe);
      float[][] lb = b.logits(probe);
      for (int i = 0; i < la.length; i++) {
        assertArrayEquals(la[i], lb[i], 1e-4f);
      }
    }
  }

  @Test
  void grpoMicroBatchesMatchFullBatch() {
    check((t, s) -> t.grpoStep(s, GrpoConfig.defaults()));
  }

  @Test
  void cispoMicroBatchesMatchFullBatch() {
    check((t, s) -> t.cispoStep(s, CispoConfig.defaults()));
  }

  @Test
  void repeatedTrainingIsBitForBitDeterministic() {
    // Guards against numerically unstable or uninitialised reductions (a spectral-norm gradient
    // norm once made this drift and turn NaN after a few hundred steps).
    double[] first = null;
    for (int run = 0; run < 2; run++) {
      try (PolicyModel m = PolicyModel.createTiny("tiny", TOK, 2);
          RlTrainer t = new RlTrainer(m, OptimizerConfig.builder().setLearningRate(1e-3).build())) {
        List<RlSample> batch = samples(m);
        double[] trace = new double[40];
        for (int i = 0; i < trace.length; i += 2) {
          TrainStepResult r = t.sftStep(batch);
          trace[i] = r.loss();
          trace[i + 1] = r.gradNorm();
        }
        if (first == null) {
          first = trace;
        } else {
          assertArrayEquals(first, trace);
        }
      }
    }
  }

  @Test
  void sameWeightsAndBatchGiveTheSameGradientEveryTime() {
    // With a negligible learning rate the weights stay put, so every step must report the same
    // loss and gradient norm. Scalars freed under autograd once corrupted a backward pass at a
    // random step, which this catches with high probability.
    try (PolicyModel m = PolicyModel.createTiny("tiny", TOK, 5);
        RlTrainer t = new RlTrainer(m, OptimizerConfig.builder().setLearningRate(1e-30).optMaxGradNorm(0).build())) {
      List<RlSample> batch = samples(m);
      TrainStepResult first = t.grpoStep(batch, GrpoConfig.defaults());
      for (int i = 0; i < 300; i++) {
        TrainStepResult r = t.grpoStep(batch, GrpoConfig.defaults());
        assertEquals(first.loss(), r.loss(), 0.0, "loss at repeat " + i);
        assertEquals(first.gradNorm(), r.gradNorm(), 0.0, "gradient norm at repeat " + i);
      }
    }
  }

  @Test
  void stepsWithoutTrainableTokensOrOldLogprobsAreRefused() {
    try (PolicyModel m = PolicyModel.createTiny("tiny", TOK, 1);
        RlTrainer t = new RlTrainer(m, OptimizerConfig.builder().setLearningRate(1e-3).build())) {
      RlSample noTrainable = RlSample.of(TOK.encode("a b c"), new boolean[3], new float[3], 1.0);
      assertThrows(IllegalArgumentException.class, () -> t.grpoStep(List.of(noTrainable), GrpoConfig.defaults()));
      RlSample noOld = RlSample.of(TOK.encode("a b c"), new boolean[] {false, true, true}, null, 1.0);
      assertThrows(IllegalArgumentException.class, () -> t.cispoStep(List.of(noOld), CispoConfig.defaults()));
      assertThrows(IllegalArgumentException.class, () -> new RlSample(new int[] {1, 2}, new boolean[] {true, false}, null, 0, 1));
    }
  }
}
