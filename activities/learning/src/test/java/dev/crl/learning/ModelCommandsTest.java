package dev.crl.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crl.learning.tokenizer.WordTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandsTest {
  @Test
  void logitsJsonHasOneRowPerPositionAndMatchesTheModel(@TempDir Path dir) throws Exception {
    WordTokenizer tok = WordTokenizer.of(List.of("x", "y", "z"));
    float[][] expected;
    try (PolicyModel model = PolicyModel.createTiny("tiny-qwen2", tok, 4)) {
      model.save(dir, 3);
      expected = model.logits(new int[] {3, 4, 5});
    }
    JsonNode json = new ObjectMapper().readTree(ModelCommands.logitsJson(dir, ModelCommands.parseIds("3, 4,5")));
    assertEquals(3, json.get("logits").size());
    for (int t = 0; t < 3; t++) {
      float[] row = new float[json.get("logits").get(t).size()];
      for (int v = 0; v < row.length; v++) {
        row[v] = (float) json.get("logits").get(t).get(v).asDouble();
      }
      assertArrayEquals(expected[t], row, 1e-6f);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelCommands.parseIds("1,a"));
    assertTrue(e.getMessage().contains("'a'"));
  }
}
