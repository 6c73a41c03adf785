package dev.crl.learning;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.learning.rl.Advantages;
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
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * End-to-end check that sampling, advantages and the GRPO update fit together: a randomly
 * initialised tiny model is rewarded for repeating the word in its prompt and must go from
 * chance to at least 95% greedy accuracy.
 */
class GrpoLearnsToSayTheWordTest {
  private static final List<String> WORDS = List.of(
      "apple", "river", "stone", "cloud", "tiger", "lemon", "piano", "rocket",
      "garden", "silver", "candle", "forest", "window", "pepper", "violet", "anchor");

  @Test
  void tinyModelLearnsToRepeatTheShownWord() {
    List<String> vocab = new ArrayList<>(WORDS);
    vocab.add("say");
    vocab.add(":");
    WordTokenizer tok = WordTokenizer.of(vocab);
    Random random = new Random(7);
    try (PolicyModel model = PolicyModel.createTiny("tiny", tok, 11);
        RlTrainer trainer = new RlTrainer(model, OptimizerConfig.builder().setLearningRate(2e-3).optWeightDecay(0.0).build())) {
      double before = greedyAccuracy(model, tok);
      int groups = 16;
      int k = 8;
      double accuracy = before;
      int step = 0;
      long started = System.nanoTime();
      for (; step < 60 && accuracy < 0.97; step++) {
        List<int[]> prompts = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        List<String> subgroups = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
          String word = WORDS.get(random.nextInt(WORDS.size()));
          for (int r = 0; r < k; r++) {
            prompts.add(tok.encode("say " + word + " :"));
            targets.add(word);
            // Half of each group forms its own subgroup, as the experience-free / guided split does.
            subgroups.add(g + (r < k / 2 ? "/free" : "/guided"));
          }
        }
        List<Generation> gens = model.generate(prompts, SamplingParams.sample(2, 1.0), 1000 + step);
        double[] rewards = new double[gens.size()];
        for (int i = 0; i < gens.size(); i++) {
          int[] t = gens.get(i).tokens();
          rewards[i] = t.length > 0 && t[0] == tok.id(targets.get(i)) ? 1 : 0;
        }
        double[] adv = Advantages.grpoSplit(rewards, subgroups, true);
        List<RlSample> samples = new ArrayList<>();
        for (int i = 0; i < gens.size(); i++) {
          Generation gen = gens.get(i);
          samples.add(RlSample.fromGeneration(gen.promptTokens(), gen.tokens(), gen.logprobs(), adv[i], 1.0));
        }
        TrainStepResult r = trainer.grpoStep(samples, GrpoConfig.defaults());
        assertTrue(Double.isFinite(r.loss()) && r.gradNorm() > 0, "step " + step + " produced " + r);
        if (step % 5 == 4) {
          accuracy = greedyAccuracy(model, tok);
          System.out.printf("grpo step %d: sampled reward %.3f, greedy accuracy %.3f, entropy %.3f, %.0f tok/s%n",
              step + 1, mean(rewards), accuracy, r.entropy(), r.tokensPerSecond());
        }
      }
      accuracy = greedyAccuracy(model, tok);
      System.out.printf("grpo: accuracy %.3f -> %.3f after %d steps in %.1f s%n",
          before, accuracy, step, (System.nanoTime() - started) / 1e9);
      assertTrue(before < 0.3, "an untrained model should be near chance, got " + before);
      assertTrue(accuracy >= 0.95, "GRPO should teach the task to >= 95%, got " + accuracy);
    }
  }

  private static double greedyAccuracy(PolicyModel model, WordTokenizer tok) {
    List<int[]> prompts = new ArrayList<>();
    for (String w : WORDS) {
      prompts.add(tok.encode("say " + w + " :"));
    }
    List<Generation> gens = model.generate(prompts, SamplingParams.greedy(1), 0);
    int correct = 0;
    for (int i = 0; i < WORDS.size(); i++) {
      if (gens.get(i).tokens()[0] == tok.id(WORDS.get(i))) {
        correct++;
      }
    }
    return (double) correct / WORDS.size();
  }

  private static double mean(double[] a) {
    double s = 0;
    for (double x : a) {
      s += x;
    }
    return s / a.length;
  }
}
