package dev.crl.stores;

/**
 * The backend is reachable in principle but configured wrongly: malformed endpoint, bad or
 * missing credentials, missing permissions, or an endpoint that does not speak the expected
 * protocol. Retrying cannot help, so this is non-retryable and the message says what to fix.
 */
public final class BackendConfigurationException extends BackendException {

  public BackendConfigurationException(String message) {
    super(message, null);
  }

  public BackendConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetryable() {
    return false;
  }
}
