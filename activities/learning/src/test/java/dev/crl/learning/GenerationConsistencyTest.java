package dev.crl.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.learning.sampling.Generation;
import dev.crl.learning.sampling.SamplingParams;
import dev.crl.learning.tokenizer.WordTokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The KV-cache sampler must agree with a full forward pass, and rows must not affect each other. */
class GenerationConsistencyTest {
  private static WordTokenizer tok;
  private static PolicyModel model;

  @BeforeAll
  static void create() {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      words.add("w" + i);
    }
    tok = WordTokenizer.of(words);
    model = PolicyModel.createTiny("tiny-qwen3", tok, 5);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void cachedLogprobsEqualFullForwardLogprobs() {
    int[] prompt = tok.encode("w1 w2 w3 w4 w5");
    Generation g = model.generate(List.of(prompt), SamplingParams.sample(12, 1.0), 3).get(0);
    int[] all = new int[prompt.length + g.tokens().length];
    System.arraycopy(prompt, 0, all, 0, prompt.length);
    System.arraycopy(g.tokens(), 0, all, prompt.length, g.tokens().length);
    float[][] logits = model.logits(all);
    for (int i = 0; i < g.tokens().length; i++) {
      float[] row = logits[prompt.length - 1 + i];
      double max = Double.NEGATIVE_INFINITY;
      for (float v : row) {
        max = Math.max(max, v);
      }
      double z = 0;
      for (float v : row) {
        z += Math.exp(v - max);
      }
      double expected = row[g.tokens()[i]] - max - Math.log(z);
      assertEquals(expected, g.logprobs()[i], 1e-4, "token " + i);
    }
  }

  @Test
  void tokenLogprobsReproduceSamplingLogprobs() {
    int[] prompt = tok.encode("w9 w8 w7");
    Generation g = model.generate(List.of(prompt), SamplingParams.sample(6, 1.0), 11).get(0);
    int[] all = new int[prompt.length + g.tokens().length];
    System.arraycopy(prompt, 0, all, 0, prompt.length);
    System.arraycopy(g.tokens(), 0, all, prompt.length, g.tokens().length);
    float[] lp = model.tokenLogprobs(List.of(all))[0];
    assertEquals(0f, lp[0]);
    for (int i = 0; i < g.tokens().length; i++) {
      assertEquals(g.logprobs()[i], lp[prompt.length + i], 1e-4);
    }
  }

  @Test
  void leftPaddingDoesNotChangeARow() {
    int[] shortPrompt = tok.encode("w7 w8");
    int[] longPrompt = tok.encode("w1 w2 w3 w4 w5 w6 w7 w8 w9");
    Generation alone = model.generate(List.of(shortPrompt), SamplingParams.sample(8, 1.0), 42).get(0);
    List<Generation> batch = model.generate(List.of(shortPrompt, longPrompt), SamplingParams.sample(8, 1.0), 42);
    assertArrayEquals(alone.tokens(), batch.get(0).tokens());
    for (int i = 0; i < alone.logprobs().length; i++) {
      assertEquals(alone.logprobs()[i], batch.get(0).logprobs()[i], 1e-4);
    }
  }

  @Test
  void droppingFinishedRowsFromTheBatchChangesNoRow() {
    // Rows with short limits finish first; the survivors continue in a compacted batch and must
    // produce exactly what they produce when generated alone.
    List<int[]> prompts = new ArrayList<>();
    List<SamplingParams> params = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      prompts.add(tok.encode("w" + i + " w" + (i + 2) + (i % 3 == 0 ? " w30 w31 w32" : "")));
      params.add(SamplingParams.sample(i % 4 == 0 ? 14 : 2 + i % 3, 1.0));
    }
    List<Generation> batch = model.generate(prompts, params, 77);
    for (int i = 0; i < prompts.size(); i += 4) {
      List<int[]> alone = new ArrayList<>();
      List<SamplingParams> aloneParams = new ArrayList<>();
      for (int j = 0; j < prompts.size(); j++) {
        // Keep row indices (and so random streams) identical by giving other rows a 1-token budget.
        alone.add(prompts.get(j));
        aloneParams.add(j == i ? params.get(i) : SamplingParams.sample(1, 1.0));
      }
      Generation single = model.generate(alone, aloneParams, 77).get(i);
      assertArrayEquals(single.tokens(), batch.get(i).tokens(), "row " + i);
      for (int t = 0; t < single.logprobs().length; t++) {
        assertEquals(single.logprobs()[t], batch.get(i).logprobs()[t], 1e-4);
      }
    }
    // Row 0 alone in a batch of one is never compacted and uses the same random stream.
    Generation uncompacted = model.generate(List.of(prompts.get(0)), List.of(params.get(0)), 77).get(0);
    assertArrayEquals(uncompacted.tokens(), batch.get(0).tokens());
    assertTrue(batch.get(0).tokens().length > 5, "row 0 should outlive the compaction");
  }

  @Test
  void sameSeedSameSamplesDifferentSeedDifferentSamples() {
    List<int[]> prompts = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      prompts.add(tok.encode("w" + i + " w" + (i + 1)));
    }
    SamplingParams p = SamplingParams.actorDefaults(10);
    List<Generation> a = model.generate(prompts, p, 9);
    List<Generation> b = model.generate(prompts, p, 9);
    List<Generation> c = model.generate(prompts, p, 10);
    boolean anyDifferent = false;
    for (int i = 0; i < prompts.size(); i++) {
      assertArrayEquals(a.get(i).tokens(), b.get(i).tokens());
      anyDifferent |= !java.util.Arrays.equals(a.get(i).tokens(), c.get(i).tokens());
    }
    assertTrue(anyDifferent, "a different seed should change at least one of 16 sampled rows");
  }

  @Test
  void perRowLimitsAndStopSequencesAreHonoured() {
    int[] prompt = tok.encode("w1 w2");
    Generation probe = model.generate(List.of(prompt), SamplingParams.greedy(6), 0).get(0);
    String firstWord = tok.decode(new int[] {probe.tokens()[0]});
    List<Generation> out = model.generate(List.of(prompt, prompt),
        List.of(SamplingParams.greedy(3), SamplingParams.greedy(6).withStopSequences(List.of(firstWord))), 0);
    assertTrue(out.get(0).tokens().length <= 3);
    assertEquals(Generation.FinishReason.STOP_SEQUENCE, out.get(1).finishReason());
    assertEquals(1, out.get(1).tokens().length);
    assertEquals("", out.get(1).text());
  }

  @Test
  void badInputIsRefusedClearly() {
    assertThrows(IllegalArgumentException.class, () -> model.generate(List.of(new int[0]), SamplingParams.greedy(2), 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> model.generate(List.<int[]>of(new int[] {999}), SamplingParams.greedy(2), 0));
    assertTrue(e.getMessage().contains("outside the vocabulary"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SamplingParams.sample(0, 1.0));
    assertNotEquals(0, tok.vocabSize());
  }
}
