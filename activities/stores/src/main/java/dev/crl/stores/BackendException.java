package dev.crl.stores;

/**
 * Base type of every failure raised by an object store or a metrics sink.
 *
 * <p>Callers (Temporal activities in particular) only need {@link #isRetryable()} to decide
 * between retrying with backoff and failing fast: infrastructure faults are retryable, bad
 * configuration and bad input are not.
 */
public abstract class BackendException extends RuntimeException {

  protected BackendException(String message, Throwable cause) {
    super(message, cause);
  }

  /** True when the same call may succeed later without any change to configuration or input. */
  public abstract boolean isRetryable();
}
