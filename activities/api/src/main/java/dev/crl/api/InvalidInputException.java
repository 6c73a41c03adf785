package dev.crl.api;

/**
 * Input an activity cannot act on, such as a missing object-store key or a malformed request.
 * Workflows list this class among the non-retryable failure types: retrying the same input
 * cannot succeed, so the failure surfaces at once with its message instead of after every
 * retry has been spent.
 */
public class InvalidInputException extends RuntimeException {
  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
