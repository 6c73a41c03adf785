package dev.crl.workers;

import dev.crl.api.spec.SpecException;
import dev.crl.workers.cli.TrainCommand;
import java.io.PrintStream;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * Checks the spec of {@code crl train} before the application boots, so that a typo costs the
 * user a second rather than a full start: the same loader and messages as the command itself,
 * run on the bare JVM. Anything it cannot judge (help, bad options) is left to the command.
 */
final class SpecPreflight {
  /** Returned when the command should go on to run normally. */
  static final int PROCEED = -1;

  private SpecPreflight() {}

  static int check(String[] args, PrintStream err) {
    if (args.length == 0 || !"train".equals(args[0])) {
      return PROCEED;
    }
    TrainCommand train = new TrainCommand();
    try {
      CommandLine.ParseResult parsed = new CommandLine(train).parseArgs(Arrays.copyOfRange(args, 1, args.length));
      if (parsed.isUsageHelpRequested() || parsed.isVersionHelpRequested()) {
        return PROCEED;
      }
    } catch (CommandLine.ParameterException badOptions) {
      return PROCEED;
    }
    try {
      train.validateOnly();
      return PROCEED;
    } catch (SpecException | UserError e) {
      err.println("crl: " + e.getMessage());
      return CliErrorHandler.USER_ERROR;
    }
  }
}
