package dev.crl.workers.cli;

import dev.crl.environments.EnvCli;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code crl env}: list, play and script the text environments. */
@Command(name = "env", mixinStandardHelpOptions = true,
    description = "List, play and script the text environments the agents train on.",
    subcommands = {EnvCommand.ListEnvs.class, EnvCommand.Play.class, EnvCommand.Run.class})
public class EnvCommand extends CommandGroup {

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List environment ids and task mixtures.")
  static class ListEnvs implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return EnvCli.list(new java.io.PrintStream(new PrintWriterStream(spec.commandLine().getOut()), true));
    }
  }

  @Command(name = "play", mixinStandardHelpOptions = true,
      description = "Play an environment in the terminal: type actions, 'quit' to stop.")
  static class Play implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Environment id (see 'crl env list').")
    String id;

    @Option(names = "--seed", defaultValue = "0", description = "Instance seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
      return EnvCli.play(id, seed, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
          new java.io.PrintStream(new PrintWriterStream(spec.commandLine().getOut()), true));
    }
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = {"Run a fixed list of actions and print what the environment answers.",
          "With --json: one JSON object per line, the reset observation then one per step."})
  static class Run implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "Environment id.")
    String id;

    @Option(names = "--seed", defaultValue = "0", description = "Instance seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--actions", required = true, paramLabel = "A;B;C",
        description = "Actions separated by ';'.")
    String actions;

    @Option(names = "--json", description = "Print JSON lines for scripting.")
    boolean json;

    @Override
    public Integer call() {
      List<String> list = Arrays.stream(actions.split(";")).map(String::strip)
          .filter(a -> !a.isEmpty()).toList();
      return EnvCli.runScripted(id, seed, list, json,
          new java.io.PrintStream(new PrintWriterStream(spec.commandLine().getOut()), true));
    }
  }
}
