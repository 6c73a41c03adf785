package dev.crl.experience.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Runs the independent searches of one batch on the calling thread and a few helper threads.
 * The caller takes queries too and never waits for a helper that has not started: helpers and
 * caller pull query indices from one counter, so a helper that is busy with another batch costs
 * nothing but the parallelism it would have added. This matters when one client's batch would
 * otherwise run on one core while the other sits idle.
 */
final class QueryFanOut implements AutoCloseable {

  private final ExecutorService helpers;
  private final int helperCount;

  /** A fan-out over {@code helperCount} daemon threads (0 runs every batch on the caller alone). */
  QueryFanOut(String name, int helperCount) {
    if (helperCount < 0) {
      throw new IllegalArgumentException("helper count must not be negative, got " + helperCount);
    }
    this.helperCount = helperCount;
    AtomicInteger threads = new AtomicInteger();
    this.helpers = helperCount == 0 ? null : Executors.newFixedThreadPool(helperCount, r -> {
      Thread t = new Thread(r, name + "-" + threads.getAndIncrement());
      t.setDaemon(true);
      return t;
    });
  }

  /** {@code task.apply(i)} for i in 0..n-1, in order; the first failure is rethrown. */
  <R> List<R> map(int n, IntFunction<R> task) {
    if (n <= 1 || helpers == null) {
      List<R> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        out.add(task.apply(i));
      }
      return out;
    }
    Object[] results = new Object[n];
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(n);
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Runnable worker = () -> {
      for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
        try {
          results[i] = task.apply(i);
        } catch (RuntimeException e) {
          failure.compareAndSet(null, e);
        } finally {
          done.countDown();
        }
      }
    };
    for (int h = 0; h < Math.min(helperCount, n - 1); h++) {
      try {
        helpers.execute(worker);
      } catch (RejectedExecutionException closed) {
        break;
      }
    }
    worker.run();
    awaitUninterruptibly(done);
    if (failure.get() != null) {
      throw failure.get();
    }
    @SuppressWarnings("unchecked")
    List<R> out = (List<R>) Arrays.asList(results);
    return out;
  }

  /**
   * Waits for the helpers' last queries. They run under the caller's read lock, so the caller
   * must not return (and release it) before they finish, even when interrupted.
   */
  private static void awaitUninterruptibly(CountDownLatch done) {
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (helpers != null) {
      helpers.shutdown();
    }
  }
}
