package dev.crl.workers.cli;

import dev.crl.api.spec.RunSpecLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Lists the bundled run specs or prints one, fully resolved, as a starting point for your own. */
@Command(name = "presets", mixinStandardHelpOptions = true,
    description = "List bundled run specs, or print one resolved with every default filled in.")
public class PresetsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "NAME", description = "Preset to print as YAML.")
  String name;

  @Override
  public Integer call() {
    if (name == null) {
      RunSpecLoader.presetNames().forEach(spec.commandLine().getOut()::println);
    } else {
      spec.commandLine().getOut().print(RunSpecLoader.toYaml(SpecLoading.loader().loadPreset(name)));
    }
    // The terminal's writer is buffered and the application may exit before it is closed.
    spec.commandLine().getOut().flush();
    return 0;
  }
}
