package dev.crl.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofMillis(400), Duration.ofMillis(10), Duration.ofMillis(50));

  @Test
  void transientFailuresAreRetriedUntilSuccess() {
    AtomicInteger calls = new AtomicInteger();
    String result =
        backoff.run(
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new BackendUnavailableException("down", null);
              }
              return "ok";
            });
    assertEquals("ok", result);
    assertEquals(3, calls.get());
  }

  @Test
  void nonRetryableFailuresStopAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    assertThrows(
        BackendConfigurationException.class,
        () ->
            backoff.run(
                () -> {
                  calls.incrementAndGet();
                  throw new BackendConfigurationException("bad credentials");
                }));
    assertEquals(1, calls.get());
  }

  @Test
  void theWindowBoundsTheTotalTime() {
    AtomicInteger calls = new AtomicInteger();
    long start = System.nanoTime();
    BackendUnavailableException error =
        assertThrows(
            BackendUnavailableException.class,
            () ->
                backoff.run(
                    () -> {
                      calls.incrementAndGet();
                      throw new BackendUnavailableException("still down", null);
                    }));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis >= 390 && millis < 3000, millis + " ms");
    assertTrue(calls.get() >= 4, calls.get() + " calls");
    assertTrue(error.getMessage().contains("gave up after"), error.getMessage());
  }
}
