package dev.crl.experience.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CachingEmbedderTest {

  /** Hashes texts and notes which of its two methods each call came through, with its texts. */
  private static final class Recording extends ForwardingEmbedder {
    final HashingEmbedder hashing;
    final List<String> calls = new CopyOnWriteArrayList<>();

    Recording(HashingEmbedder hashing) {
      super(hashing);
      this.hashing = hashing;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      calls.add("embed " + texts);
      return super.embed(texts);
    }

    @Override
    public List<float[]> embedDeferrable(List<String> texts) {
      calls.add("deferrable " + texts);
      return inner.embedDeferrable(texts);
    }
  }

  @Test
  void onlyMissesReachTheModelAndEachKeepsItsKindOfCall() {
    Recording model = new Recording(new HashingEmbedder(16, 1));
    CachingEmbedder cache = new CachingEmbedder(model, 100);
    List<float[]> first = cache.embed(List.of("a", "b"));
    List<float[]> lessons = cache.embedDeferrable(List.of("b", "c"));
    assertEquals(List.of("embed [a, b]", "deferrable [c]"), model.calls);
    assertArrayEquals(first.get(1), lessons.get(0));
    assertArrayEquals(model.hashing.embed("c"), lessons.get(1));
    assertEquals(1, cache.hits());
    assertEquals(3, cache.misses());
  }
}
