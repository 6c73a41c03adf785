package dev.crl.experience.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crl.experience.RepoTools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MiniLmEmbedderTest {

  private static final double TOLERANCE = 1e-4;
  private static MiniLmEmbedder embedder;
  private static List<String> sentences;
  private static List<float[]> reference;

  @BeforeAll
  static void load() throws IOException {
    embedder = MiniLmEmbedder.load(RepoTools.miniLmModelDir());
    try (InputStream in = MiniLmEmbedderTest.class.getResourceAsStream("minilm-reference.json")) {
      JsonNode root = new ObjectMapper().readTree(in);
      sentences = new ArrayList<>();
      reference = new ArrayList<>();
      root.get("sentences").forEach(s -> sentences.add(s.asText()));
      for (JsonNode vector : root.get("vectors")) {
        float[] v = new float[vector.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) vector.get(i).asDouble();
        }
        reference.add(v);
      }
    }
  }

  @AfterAll
  static void close() {
    if (embedder != null) {
      embedder.close();
    }
  }

  @Test
  void batchedVectorsMatchSentenceTransformers() {
    List<float[]> vectors = embedder.embed(sentences);
    assertEquals(sentences.size(), vectors.size());
    for (int i = 0; i < sentences.size(); i++) {
      assertClose(reference.get(i), vectors.get(i), sentences.get(i));
    }
  }

  @Test
  void singleSentencesMatchToo() {
    // Padding in a batch must not change a sentence's vector: check the two extremes alone.
    assertClose(reference.get(0), embedder.embed(sentences.get(0)), sentences.get(0));
    int last = sentences.size() - 1;
    assertClose(reference.get(last), embedder.embed(sentences.get(last)), "long sentence");
  }

  @Test
  void vectorsAreUnitLengthAnd384Wide() {
    assertEquals(384, embedder.dimension());
    float[] v = embedder.embed("an agent opens a door");
    assertEquals(384, v.length);
    assertEquals(1.0, VectorMath.norm(v), 1e-5);
  }

  @Test
  void missingModelFilesGiveAClearError(@TempDir Path empty) throws IOException {
    Files.writeString(empty.resolve("config.json"), "{}");
    IOException e = assertThrows(IOException.class, () -> MiniLmEmbedder.load(empty));
    assertTrue(e.getMessage().contains("model.safetensors"), e.getMessage());
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length);
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(worst <= TOLERANCE, "max |difference| " + worst + " > " + TOLERANCE + " for: " + what);
  }
}
