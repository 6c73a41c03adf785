package dev.crl.environments;

/**
 * Raised for failures that are not the agent's fault: an unknown environment id, bad configuration,
 * or a remote environment server that is down or answers garbage. Invalid actions never raise it.
 */
public class EnvironmentException extends RuntimeException {

  public EnvironmentException(String message) {
    super(message);
  }

  public EnvironmentException(String message, Throwable cause) {
    super(message, cause);
  }
}
