package dev.crl.experience.embedding;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fair lock with two kinds of callers: urgent ones (retrieval queries an actor waits for) and
 * deferrable ones (lessons being written). Callers take turns in arrival order, except that a
 * deferrable caller never takes the lock while an urgent caller waits for it: it hands the lock
 * on and queues again.
 */
final class UrgentFirstLock {

  private final ReentrantLock lock = new ReentrantLock(true);
  /** Urgent callers inside {@link #lock(boolean)} that do not hold the lock yet. */
  private final AtomicInteger urgentWaiting = new AtomicInteger();

  void lock(boolean deferrable) {
    if (!deferrable) {
      urgentWaiting.incrementAndGet();
      try {
        lock.lock();
      } finally {
        urgentWaiting.decrementAndGet();
      }
      return;
    }
    lock.lock();
    while (urgentWaiting.get() > 0) {
      // The fair lock serves the longest waiter first, so a queued urgent caller gets it now. One
      // that has counted itself but not queued yet gets the pause to do so; the pause is short
      // because it is spent by a lesson, never by a query.
      lock.unlock();
      LockSupport.parkNanos(20_000);
      lock.lock();
    }
  }

  void unlock() {
    lock.unlock();
  }

  boolean isLocked() {
    return lock.isLocked();
  }

  /** For tests: urgent callers waiting. */
  int urgentWaiting() {
    return urgentWaiting.get();
  }

  /** For tests: whether {@code thread} waits for the lock. */
  boolean hasQueuedThread(Thread thread) {
    return lock.hasQueuedThread(thread);
  }
}
