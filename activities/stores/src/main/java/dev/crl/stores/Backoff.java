package dev.crl.stores;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Retries a call that fails with {@link BackendUnavailableException}, with exponential backoff,
 * until a time window is used up; then the last failure is thrown. Any other exception ends the
 * retries at once.
 */
public final class Backoff {

  private final Duration window;
  private final Duration initialDelay;
  private final Duration maxDelay;

  /**
   * @param window total time to keep trying, measured from the first attempt
   * @param initialDelay pause after the first failure; doubled after each further failure
   * @param maxDelay upper bound of one pause
   */
  public Backoff(Duration window, Duration initialDelay, Duration maxDelay) {
    this.window = window;
    this.initialDelay = initialDelay;
    this.maxDelay = maxDelay;
  }

  /** Runs {@code call} until it succeeds, fails non-retryably, or the window is over. */
  public <T> T run(Supplier<T> call) {
    long deadline = System.nanoTime() + window.toNanos();
    long delay = initialDelay.toMillis();
    int attempt = 1;
    while (true) {
      try {
        return call.get();
      } catch (BackendUnavailableException e) {
        long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
          throw new BackendUnavailableException(
              e.getMessage() + " (gave up after " + attempt + " attempts in " + window.toSeconds() + " s)", e);
        }
        sleep(Math.min(delay, remainingMillis));
        delay = Math.min(delay * 2, maxDelay.toMillis());
        attempt++;
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendUnavailableException("interrupted while waiting to retry", e);
    }
  }
}
