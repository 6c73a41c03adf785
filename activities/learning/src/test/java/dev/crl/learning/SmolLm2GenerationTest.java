package dev.crl.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.learning.sampling.Generation;
import dev.crl.learning.sampling.SamplingParams;
import dev.crl.learning.tokenizer.ChatTemplate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Loads the real SmolLM2-135M-Instruct GGUF (Q4_1), renders its own chat template and greedily
 * answers a fixed question. The expected text was recorded once from this code and cross-checked
 * against Hugging Face transformers loading the same GGUF (tools/smollm2_reference.py).
 */
class SmolLm2GenerationTest {
  static final String QUESTION = "What is the capital of France?";
  static final String EXPECTED = "The capital of France is Paris.";

  @Test
  void greedyAnswerIsTheRecordedEnglishText(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    try (PolicyModel model = PolicyModel.loadPretrained(ToolPaths.smolLm2())) {
      assertEquals(30, model.config().numLayers());
      assertEquals(49152, model.config().vocabSize());
      ChatTemplate template = model.tokenizer().chatTemplate().orElseThrow();
      String prompt = template.render(List.of(new ChatTemplate.Message("user", QUESTION)), true);
      assertTrue(prompt.endsWith("<|im_start|>assistant\n"), "rendered prompt: " + prompt);
      int[] ids = model.tokenizer().encode(prompt);
      Generation g = model.generate(List.of(ids), SamplingParams.greedy(24), 0).get(0);
      System.out.println("prompt ids: " + java.util.Arrays.toString(ids));
      System.out.println("generated ids: " + java.util.Arrays.toString(g.tokens()));
      System.out.println("SmolLM2 answer: " + g.text());
      assertEquals(EXPECTED, g.text());
      // The same ids that transformers produces from the same GGUF, recorded with tools/smollm2_reference.py.
      assertArrayEquals(new int[] {504, 3575, 282, 4649, 314, 7042, 30, 2}, g.tokens());
      assertEquals(37, ids.length);
      assertEquals(Generation.FinishReason.EOS, g.finishReason());
      // The tokenizer built from GGUF metadata survives a save and reload through DJL's tokenizers.
      model.tokenizer().save(dir);
      dev.crl.learning.tokenizer.Tokenizer reloaded = dev.crl.learning.tokenizer.Tokenizers.load(dir);
      assertArrayEquals(ids, reloaded.encode(prompt));
      assertEquals(2, reloaded.eosId());
      assertEquals(template.source(), reloaded.chatTemplate().orElseThrow().source());
    }
  }
}
