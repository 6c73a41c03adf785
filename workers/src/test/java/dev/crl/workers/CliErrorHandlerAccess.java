package dev.crl.workers;

import picocli.CommandLine;

/** Gives tests in other packages the launcher's error handler. */
public final class CliErrorHandlerAccess {
  public CommandLine.IExecutionExceptionHandler handler() {
    return new CliErrorHandler();
  }
}
