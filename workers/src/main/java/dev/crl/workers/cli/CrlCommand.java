package dev.crl.workers.cli;

import picocli.CommandLine.Command;

/** The {@code crl} command: train agents with Complementary RL and look inside their runs. */
@Command(
    name = "crl",
    mixinStandardHelpOptions = true,
    version = "crl 0.1.0",
    description = {
      "Trains LLM agents with Complementary RL: an actor and an experience extractor that",
      "co-evolve in one RL loop, orchestrated by Temporal as a durable pipeline.",
      "",
      "Start with:  crl train --preset room-tiny"
    },
    subcommands = {
      TrainCommand.class,
      RunsCommand.class,
      EnvCommand.class,
      ModelCommand.class,
      BankCommand.class,
      WorkerCommand.class,
      PresetsCommand.class
    })
public class CrlCommand extends CommandGroup {

  /**
   * The command line as the launcher runs it: roles and other enums accepted in any case, and help
   * 110 columns wide, because the commands' descriptions are written in lines of up to 100
   * characters and picocli's default of 80 broke them mid-sentence.
   */
  public static picocli.CommandLine create(picocli.CommandLine.IExecutionExceptionHandler errors) {
    return new picocli.CommandLine(new CrlCommand())
        .setUsageHelpWidth(110)
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(errors);
  }
}
