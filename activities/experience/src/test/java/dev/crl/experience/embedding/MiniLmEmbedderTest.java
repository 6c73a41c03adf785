package dev.crl.experience.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
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
  void aCallLongerThanOnePassGivesTheSameVectorsInOrder() {
    // 10 reference sentences four times over: three forward passes of at most 16 texts.
    List<String> texts = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      texts.addAll(sentences);
    }
    assertTrue(texts.size() > 2 * MiniLmEmbedder.TEXTS_PER_PASS);
    List<float[]> vectors = embedder.embed(texts);
    assertEquals(texts.size(), vectors.size());
    for (int i = 0; i < texts.size(); i++) {
      assertClose(reference.get(i % sentences.size()), vectors.get(i), texts.get(i));
    }
  }

  @Test
  void aShortCallIsNotHeldBackByALongOne() throws Exception {
    // A distillation embeds many lessons in one call; a retrieval batch arriving meanwhile must get
    // its turn after the pass in progress, not after the whole call.
    assertTrue(shortCallFinishesFirst(MiniLmEmbedder.TEXTS_PER_PASS), "the short call waited for the whole long one");
    // The same scenario with the long call in a single pass: the short one must wait, or this
    // test could not tell the two apart.
    assertFalse(shortCallFinishesFirst(Integer.MAX_VALUE), "a single pass let the short call in");
  }

  /** Starts a call of 13 passes' worth of texts, then a one-text call; true when the short one ends first. */
  private static boolean shortCallFinishesFirst(int textsPerPass) throws InterruptedException {
    // Short texts, so that the single pass stays small in memory.
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 13 * MiniLmEmbedder.TEXTS_PER_PASS; i++) {
      many.add("lesson " + i + ": take the key, then open the door to the east");
    }
    AtomicLong longDone = new AtomicLong();
    CountDownLatch longStarted = new CountDownLatch(1);
    Thread longCall = new Thread(() -> {
      longStarted.countDown();
      embedder.embed(many, textsPerPass, false);
      longDone.set(System.nanoTime());
    });
    longCall.start();
    longStarted.await();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!embedder.passInProgress() && longDone.get() == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    embedder.embed("open the door");
    long shortDone = System.nanoTime();
    longCall.join();
    assertTrue(longDone.get() > 0, "the long call finished");
    return shortDone < longDone.get();
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
