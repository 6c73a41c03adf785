package dev.crl.stores;

/**
 * The backend understood the request and rejected its content (for example an MLflow parameter
 * that may not be changed, or a value over a size limit). Non-retryable: the same input would be
 * rejected again.
 */
public final class InvalidBackendRequestException extends BackendException {

  public InvalidBackendRequestException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetryable() {
    return false;
  }
}
