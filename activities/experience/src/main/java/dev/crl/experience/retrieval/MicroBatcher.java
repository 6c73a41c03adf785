package dev.crl.experience.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Collects requests from many threads into micro-batches (up to {@code batchSize} requests, or
 * whatever arrived within {@code maxWaitMicros} of the first) and hands each batch, round-robin,
 * to one of {@code workers} parallel workers, which prepares the whole batch in one call
 * (embedding) and processes it in one call (a batched search). Batching amortises the embedder
 * and the matrix product; several workers overlap one batch's search with the next one's.
 *
 * @param <Q> request type
 * @param <P> prepared form of one request (an embedding)
 * @param <R> result type
 */
public final class MicroBatcher<Q, P, R> implements AutoCloseable {

  private record Pending<Q, R>(Q request, CompletableFuture<R> result) {}

  private final int batchSize;
  private final long maxWaitNanos;
  private final Function<List<Q>, List<P>> prepare;
  private final BiFunction<List<Q>, List<P>, List<R>> process;
  private final BlockingQueue<Pending<Q, R>> queue = new LinkedBlockingQueue<>();
  private final Thread dispatcher;
  private final ExecutorService[] workers;
  private final AtomicInteger nextWorker = new AtomicInteger();
  private final Runnable onBatch;
  private volatile boolean closed;

  /**
   * Starts the dispatcher and the workers.
   *
   * @param prepare batched preparation of all requests of a batch
   * @param process batched work on the prepared requests; returns one result per request
   * @param onBatch called once per dispatched batch (for counters)
   */
  public MicroBatcher(
      String name,
      int batchSize,
      long maxWaitMicros,
      int workers,
      Function<List<Q>, List<P>> prepare,
      BiFunction<List<Q>, List<P>, List<R>> process,
      Runnable onBatch) {
    this.batchSize = batchSize;
    this.maxWaitNanos = TimeUnit.MICROSECONDS.toNanos(maxWaitMicros);
    this.prepare = prepare;
    this.process = process;
    this.onBatch = onBatch;
    this.workers = new ExecutorService[workers];
    for (int i = 0; i < workers; i++) {
      String threadName = name + "-search-" + i;
      this.workers[i] = Executors.newSingleThreadExecutor(r -> daemon(r, threadName));
    }
    this.dispatcher = daemon(this::dispatchLoop, name + "-batcher");
    this.dispatcher.start();
  }

  /** Queues one request; the future completes when a worker has processed it. */
  public CompletableFuture<R> submit(Q request) {
    CompletableFuture<R> result = new CompletableFuture<>();
    if (closed) {
      result.completeExceptionally(new IllegalStateException("retrieval is closed"));
      return result;
    }
    queue.add(new Pending<>(request, result));
    return result;
  }

  private void dispatchLoop() {
    List<Pending<Q, R>> batch = new ArrayList<>(batchSize);
    while (!closed) {
      try {
        Pending<Q, R> first = queue.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        // Whatever is queued already joins without a wait: a caller that submits a whole batch
        // then costs this thread one wake-up, not one per request.
        queue.drainTo(batch, batchSize - batch.size());
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < batchSize) {
          long left = deadline - System.nanoTime();
          Pending<Q, R> next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        dispatch(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
    failPending();
  }

  private void dispatch(List<Pending<Q, R>> batch) {
    onBatch.run();
    List<Pending<Q, R>> mine = List.copyOf(batch);
    ExecutorService worker = workers[Math.floorMod(nextWorker.getAndIncrement(), workers.length)];
    worker.execute(() -> runBatch(mine));
  }

  private void runBatch(List<Pending<Q, R>> batch) {
    List<Q> requests = new ArrayList<>(batch.size());
    for (Pending<Q, R> p : batch) {
      requests.add(p.request());
    }
    try {
      List<R> results = process.apply(requests, prepare.apply(requests));
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(results.get(i));
      }
    } catch (RuntimeException e) {
      for (Pending<Q, R> p : batch) {
        p.result().completeExceptionally(e);
      }
    }
  }

  private void failPending() {
    Pending<Q, R> p;
    while ((p = queue.poll()) != null) {
      p.result().completeExceptionally(new IllegalStateException("retrieval is closed"));
    }
  }

  @Override
  public void close() {
    closed = true;
    dispatcher.interrupt();
    try {
      dispatcher.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ExecutorService worker : workers) {
      worker.shutdown();
    }
    for (ExecutorService worker : workers) {
      try {
        worker.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    failPending();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
