package dev.crl.experience.embedding;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;

/**
 * Runs another embedder's calls on a thread of its own that yields its core to every other thread
 * of the machine ({@link IdleThreadScheduling}). The experience manager uses it for the lessons the
 * extractor writes, which it embeds while rollouts retrieve.
 *
 * <p>Why: a MiniLM call takes 15-30 ms of CPU. When the search threads keep every core busy, a
 * model call at normal priority takes whole time slices from them, and a retrieval batch that
 * loses its core waits several milliseconds for it. On the retrieval benchmark this was the
 * cause of most batches in the slowest 1% (docs/benchmarks.md). At idle priority the lesson waits
 * instead, which costs nothing while the bank is read in short batches with gaps between them.
 *
 * <p>The price: on a machine saturated by other normal work (training on every core, say), the
 * lessons are embedded only in the gaps that work leaves, so distillation can slow down a lot.
 * That is why runs use it only when asked to ({@code models.embedder.lesson_priority: background}).
 *
 * <p>Closing this embedder stops its thread but leaves the wrapped embedder open: that one is
 * shared with the retrieval path, and its owner closes it.
 */
public final class BackgroundEmbedder implements Embedder {

  private static final Logger LOG = Logger.getLogger(BackgroundEmbedder.class.getName());

  private final Embedder delegate;
  private final ExecutorService thread;
  /** Why the thread kept normal priority; empty once it runs at idle priority. Null until it starts. */
  private volatile Optional<String> normalPriorityReason;

  public BackgroundEmbedder(Embedder delegate) {
    this.delegate = delegate;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(() -> {
        normalPriorityReason = IdleThreadScheduling.moveCurrentThread();
        normalPriorityReason.ifPresent(why -> LOG.warning(
            "lessons are embedded at normal priority and will compete with retrieval for the cores: " + why));
        r.run();
      }, "crl-lesson-embedding");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  /** Embeds on the background thread; the caller waits. Failures of the wrapped embedder are rethrown as they were. */
  @Override
  public List<float[]> embed(List<String> texts) {
    return onBackgroundThread(texts, () -> delegate.embed(texts));
  }

  /** {@link #embed}, with the wrapped embedder's deferrable call. */
  @Override
  public List<float[]> embedDeferrable(List<String> texts) {
    return onBackgroundThread(texts, () -> delegate.embedDeferrable(texts));
  }

  private List<float[]> onBackgroundThread(List<String> texts, java.util.concurrent.Callable<List<float[]>> call) {
    Future<List<float[]>> result = thread.submit(call);
    try {
      return result.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException("embedding failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      result.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + texts.size() + " lesson embeddings", e);
    }
  }

  /**
   * Why the background thread runs at normal priority, or empty when it runs at idle priority.
   * Before the first call the thread has not started, and the answer says so.
   */
  public Optional<String> normalPriorityReason() {
    Optional<String> reason = normalPriorityReason;
    return reason == null ? Optional.of("the background thread has not started yet") : reason;
  }

  /** Stops the background thread. The wrapped embedder stays open. */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
