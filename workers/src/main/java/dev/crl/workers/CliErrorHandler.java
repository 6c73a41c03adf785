package dev.crl.workers;

import dev.crl.api.spec.SpecException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns expected failures (a bad spec, a bad argument, an unreachable server) into one clear
 * message and exit code 2 instead of a stack trace; unexpected failures keep their trace.
 */
final class CliErrorHandler implements IExecutionExceptionHandler {
  static final int USER_ERROR = 2;

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    if (e instanceof SpecException || e instanceof UserError || e instanceof IllegalArgumentException) {
      cmd.getErr().println("crl: " + e.getMessage());
      return USER_ERROR;
    }
    cmd.getErr().println("crl: " + e);
    e.printStackTrace(cmd.getErr());
    return 1;
  }
}
