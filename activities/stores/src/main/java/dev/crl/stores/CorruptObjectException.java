package dev.crl.stores;

/**
 * An object's bytes do not match the sha256 or size recorded in its manifest. Reading it again
 * returns the same bytes, so this is non-retryable; the object must be rewritten by its producer.
 */
public final class CorruptObjectException extends BackendException {

  public CorruptObjectException(String message) {
    super(message, null);
  }

  @Override
  public boolean isRetryable() {
    return false;
  }
}
