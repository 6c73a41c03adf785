package dev.crl.stores;

/**
 * A transient infrastructure fault: connection refused, timeout, HTTP 5xx or throttling.
 *
 * <p>Nothing was lost: the call either did not take effect or took effect idempotently, so
 * repeating it with backoff is the right reaction.
 */
public final class BackendUnavailableException extends BackendException {

  public BackendUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
