package dev.crl.workers;

/** A failure the user can fix (a missing file, an unreachable server); printed without a trace. */
public class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
