package dev.crl.experience.embedding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BackgroundEmbedderTest {

  /** Records the thread and its Linux scheduling policy for every call, then embeds by hashing. */
  private static final class ObservingEmbedder extends ForwardingEmbedder {
    final HashingEmbedder hashing;
    final AtomicReference<String> thread = new AtomicReference<>();
    final AtomicReference<String> policy = new AtomicReference<>();
    final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    final AtomicBoolean closed = new AtomicBoolean();

    ObservingEmbedder() {
      this(new HashingEmbedder(32, 3));
    }

    private ObservingEmbedder(HashingEmbedder hashing) {
      super(hashing);
      this.hashing = hashing;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      thread.set(Thread.currentThread().getName());
      policy.set(schedulingPolicyOfThisThread());
      RuntimeException f = failure.getAndSet(null);
      if (f != null) {
        throw f;
      }
      return super.embed(texts);
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }

  /** The {@code policy} line of /proc/thread-self/sched (0 normal, 5 idle), or "unknown" off Linux. */
  private static String schedulingPolicyOfThisThread() {
    Path sched = Path.of("/proc/thread-self/sched");
    if (!Files.isReadable(sched)) {
      return "unknown";
    }
    try {
      return Files.readAllLines(sched).stream()
          .filter(l -> l.startsWith("policy"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse("unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void embedsOnAThreadOfItsOwnAtIdlePriority() {
    assumeTrue(Files.isReadable(Path.of("/proc/thread-self/sched")), "needs Linux's /proc/thread-self/sched");
    ObservingEmbedder inner = new ObservingEmbedder();
    try (BackgroundEmbedder background = new BackgroundEmbedder(inner)) {
      List<String> texts = List.of("<title>Keys</title><content>Pick up the key.</content>", "a second lesson");
      List<float[]> vectors = background.embed(texts);
      assertEquals("crl-lesson-embedding", inner.thread.get());
      assertEquals("5", inner.policy.get(), "SCHED_IDLE is policy 5");
      assertEquals(Optional.empty(), background.normalPriorityReason());
      List<float[]> expected = inner.hashing.embed(texts);
      assertEquals(2, vectors.size());
      for (int i = 0; i < 2; i++) {
        assertArrayEquals(expected.get(i), vectors.get(i));
      }
      assertEquals(inner.name(), background.name());
      assertEquals(inner.dimension(), background.dimension());
    }
    // The caller's own thread keeps its normal policy.
    assertEquals("0", schedulingPolicyOfThisThread());
  }

  @Test
  void aFailureOfTheWrappedEmbedderReachesTheCallerUnchangedAndTheNextCallWorks() {
    ObservingEmbedder inner = new ObservingEmbedder();
    try (BackgroundEmbedder background = new BackgroundEmbedder(inner)) {
      IllegalStateException failure = new IllegalStateException("the model ran out of memory");
      inner.failure.set(failure);
      IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> background.embed(List.of("x")));
      assertSame(failure, thrown);
      assertEquals(1, background.embed(List.of("y")).size());
    }
  }

  @Test
  void closingStopsTheThreadButLeavesTheSharedEmbedderOpen() {
    ObservingEmbedder inner = new ObservingEmbedder();
    BackgroundEmbedder background = new BackgroundEmbedder(inner);
    assertTrue(background.normalPriorityReason().isPresent(), "the thread has not started before the first call");
    background.embed(List.of("x"));
    background.close();
    assertFalse(inner.closed.get());
    assertThrows(RejectedExecutionException.class, () -> background.embed(List.of("y")));
  }
}
