package dev.crl.workers.cli;

import dev.crl.learning.ModelCommands;
import dev.crl.learning.sampling.SamplingParams;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crl model}: run a model directly (a checkpoint, a Hugging Face directory or a GGUF file). */
@Command(name = "model", mixinStandardHelpOptions = true,
    description = "Run a model directly: a crl checkpoint, a Hugging Face directory or a .gguf file.",
    subcommands = {ModelCommand.Logits.class, ModelCommand.Chat.class})
public class ModelCommand extends CommandGroup {

  @Command(name = "logits", mixinStandardHelpOptions = true,
      description = "Print the logits at every position as JSON: {\"logits\": [[...], ...]}.")
  static class Logits implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|FILE.gguf", description = "The model.")
    Path model;

    @Option(names = "--ids", required = true, paramLabel = "1,2,3", description = "Token ids.")
    String ids;

    @Override
    public Integer call() throws IOException {
      spec.commandLine().getOut().println(ModelCommands.logitsJson(model, ModelCommands.parseIds(ids)));
      return 0;
    }
  }

  @Command(name = "chat", mixinStandardHelpOptions = true,
      description = "Chat with a model in the terminal using its own chat template; /exit ends.")
  static class Chat implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|FILE.gguf", description = "The model.")
    Path model;

    @Option(names = "--max-new-tokens", defaultValue = "256", description = "Tokens per answer (default: ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 for greedy (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed.")
    long seed;

    @Override
    public Integer call() throws IOException {
      SamplingParams params = temperature == 0 ? SamplingParams.greedy(maxNewTokens)
          : SamplingParams.sample(maxNewTokens, temperature);
      ModelCommands.chat(model, new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)),
          new java.io.PrintStream(new PrintWriterStream(spec.commandLine().getOut()), true), params, seed);
      return 0;
    }
  }
}
