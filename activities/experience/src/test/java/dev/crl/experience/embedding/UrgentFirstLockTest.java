package dev.crl.experience.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class UrgentFirstLockTest {

  private final UrgentFirstLock lock = new UrgentFirstLock();
  private final List<String> order = new CopyOnWriteArrayList<>();

  /** A thread that takes the lock, notes its name, and holds the lock until released. */
  private final class Holder extends Thread {
    final boolean deferrable;
    final CountDownLatch release = new CountDownLatch(1);

    Holder(String name, boolean deferrable) {
      super(name);
      this.deferrable = deferrable;
    }

    @Override
    public void run() {
      lock.lock(deferrable);
      try {
        order.add(getName());
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        lock.unlock();
      }
    }
  }

  @Test
  void aDeferrableCallerQueuedFirstStillLetsALaterUrgentCallerGoFirst() throws Exception {
    Holder first = start(new Holder("urgent-1", false));
    awaitState(() -> order.contains("urgent-1"));
    // A lesson pass queues while a query holds the lock ...
    Holder lesson = start(new Holder("lesson", true));
    awaitState(() -> lock.hasQueuedThread(lesson));
    // ... and a second query queues after it.
    Holder second = start(new Holder("urgent-2", false));
    awaitState(() -> lock.hasQueuedThread(second) && lock.urgentWaiting() == 1);
    first.release.countDown();
    awaitState(() -> order.size() == 2);
    assertEquals(List.of("urgent-1", "urgent-2"), order, "the lesson went before a waiting query");
    second.release.countDown();
    awaitState(() -> order.size() == 3);
    lesson.release.countDown();
    for (Thread t : List.of(first, lesson, second)) {
      t.join(10_000);
    }
    assertEquals(List.of("urgent-1", "urgent-2", "lesson"), order);
    assertEquals(0, lock.urgentWaiting());
  }

  @Test
  void callersOfOneKindTakeTurnsInArrivalOrder() throws Exception {
    Holder first = start(new Holder("lesson-1", true));
    awaitState(() -> order.contains("lesson-1"));
    Holder second = start(new Holder("lesson-2", true));
    awaitState(() -> lock.hasQueuedThread(second));
    Holder third = start(new Holder("lesson-3", true));
    awaitState(() -> lock.hasQueuedThread(third));
    first.release.countDown();
    awaitState(() -> order.size() == 2);
    second.release.countDown();
    awaitState(() -> order.size() == 3);
    third.release.countDown();
    for (Thread t : List.of(first, second, third)) {
      t.join(10_000);
    }
    assertEquals(List.of("lesson-1", "lesson-2", "lesson-3"), order);
  }

  private static Holder start(Holder h) {
    h.setDaemon(true);
    h.start();
    return h;
  }

  private static void awaitState(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for the threads");
      Thread.sleep(1);
    }
  }
}
