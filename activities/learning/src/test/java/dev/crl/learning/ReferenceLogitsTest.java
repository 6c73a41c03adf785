package dev.crl.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crl.learning.model.Decoder;
import dev.crl.learning.model.ModelConfig;
import dev.crl.learning.weights.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our decoder must reproduce Hugging Face transformers' fp32 logits (fixtures written by
 * tools/make_reference_fixtures.py) for each supported family within 1e-4.
 */
class ReferenceLogitsTest {

  @org.junit.jupiter.api.BeforeAll
  static void threads() {
    TorchThreads.configureOnce();
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama", "qwen2", "qwen3"})
  void logitsMatchTransformers(String family) throws Exception {
    Path dir = Paths.get(ReferenceLogitsTest.class.getResource("/reference/" + family).toURI());
    if (family.equals("llama")) {
      assertTrue(Files.exists(dir.resolve("model.safetensors.index.json")), "the llama fixture is sharded on purpose");
    }
    JsonNode expected = new ObjectMapper().readTree(dir.resolve("logits.json").toFile());
    ModelConfig config = ModelConfig.fromJson(dir.resolve("config.json"));
    try (NDManager manager = NDManager.newBaseManager()) {
      Map<String, NDArray> tensors = Safetensors.readDirectory(dir, manager);
      try (Decoder decoder = Decoder.fromTensors(config, manager, tensors)) {
        assertMatchesTransformers(family, decoder, expected, manager);
      }
    }
  }

  /**
   * Runs {@code decoder} on the fixture's token ids and requires every logit to be within 1e-4
   * of transformers' (the fixture's {@code logits}).
   */
  static void assertMatchesTransformers(String what, Decoder decoder, JsonNode expected, NDManager manager) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      JsonNode ids = expected.get("ids");
      int b = ids.size();
      int t = ids.get(0).size();
      long[] flat = new long[b * t];
      float[] pos = new float[b * t];
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < t; j++) {
          flat[i * t + j] = ids.get(i).get(j).asLong();
          pos[i * t + j] = j;
        }
      }
      float[] mask = new float[t * t];
      for (int q = 0; q < t; q++) {
        for (int k = q + 1; k < t; k++) {
          mask[q * t + k] = Decoder.MASKED;
        }
      }
      float[] logits = decoder.forward(manager.create(flat, new Shape(b, t)), manager.create(pos, new Shape(b, t)),
          manager.create(mask, new Shape(1, 1, 1, t, t)), null, 0, false).toFloatArray();
      int v = decoder.config().vocabSize();
      double maxDiff = 0;
      int n = 0;
      for (int i = 0; i < b; i++) {
        for (int j = 0; j < t; j++) {
          JsonNode row = expected.get("logits").get(i).get(j);
          assertEquals(v, row.size());
          for (int k = 0; k < v; k++) {
            maxDiff = Math.max(maxDiff, Math.abs(row.get(k).asDouble() - logits[(i * t + j) * v + k]));
            n++;
          }
        }
      }
      System.out.printf("%s: max |logit difference| %.2e over %d logits%n", what, maxDiff, n);
      assertTrue(maxDiff <= 1e-4, what + " logits differ from transformers by " + maxDiff);
    }
  }
}
