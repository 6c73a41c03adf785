package dev.crl.learning.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Picks the tokenizer implementation that fits the {@code tokenizer.json} in a directory. */
public final class Tokenizers {
  private Tokenizers() {}

  public static Tokenizer load(Path dir) throws IOException {
    Path file = dir.resolve("tokenizer.json");
    if (!Files.exists(file)) {
      throw new IOException("no tokenizer.json in " + dir);
    }
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    if (root.path("model").path("type").asText().equals("WordLevel")) {
      return WordTokenizer.fromJson(root);
    }
    return HfTokenizer.fromDirectory(dir);
  }
}
