package dev.crl.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crl.learning.weights.GgufModelLoader;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The GGUF loader's qwen2 and qwen3 paths, on GGUF copies of the tiny reference checkpoints that
 * tools/make_gguf_fixtures.py wrote in llama.cpp's layout (no Qwen GGUF can be downloaded here;
 * the llama path is covered by the real SmolLM2 file in {@link SmolLm2GenerationTest}). The
 * loaded decoder must give transformers' logits within 1e-4, and the tokenizer built from the
 * file's metadata must encode sample strings as transformers' own GGUF reader does.
 */
class GgufReferenceTest {

  @BeforeAll
  static void threads() {
    TorchThreads.configureOnce();
  }

  @ParameterizedTest
  @ValueSource(strings = {"qwen2", "qwen3"})
  void ggufLoadsLikeTransformers(String family) throws Exception {
    Path dir = Paths.get(GgufReferenceTest.class.getResource("/reference/" + family).toURI());
    ObjectMapper json = new ObjectMapper();
    JsonNode expectedLogits = json.readTree(dir.resolve("logits.json").toFile());
    JsonNode expectedTokens = json.readTree(dir.resolve("gguf-tokens.json").toFile());
    try (NDManager manager = NDManager.newBaseManager()) {
      GgufModelLoader.Loaded loaded = GgufModelLoader.load(dir.resolve("model.gguf"), manager);
      try (var decoder = loaded.decoder()) {
        assertEquals(family.equals("qwen3"), decoder.config().qkNorm(), "q/k RMSNorm read from the file");
        assertEquals(family.equals("qwen2"), decoder.config().attentionBias(), "q/k/v bias read from the file");
        ReferenceLogitsTest.assertMatchesTransformers(family + " (GGUF)", decoder, expectedLogits, manager);
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = expectedTokens.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        int[] want = new int[e.getValue().size()];
        for (int i = 0; i < want.length; i++) {
          want[i] = e.getValue().get(i).asInt();
        }
        assertArrayEquals(want, loaded.tokenizer().encode(e.getKey()), "encoding of '" + e.getKey() + "'");
      }
      assertEquals(63, loaded.tokenizer().eosId(), "end-of-sequence token from the file");
    }
  }
}
