package dev.crl.workflows.bench;

import dev.crl.api.spec.RunSpec;
import dev.crl.api.spec.RunSpecLoader;
import dev.crl.api.spec.SpecContext;
import dev.crl.workflows.TaskPlanner;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Prints the training task seeds a run of a single-environment preset plays, one line per
 * iteration (comma-separated, in group order), for {@code ActorLearningExperiment -DseedFile}.
 * Arguments: preset seed [iterations]; e.g. {@code room-tiny 7 40}.
 */
public final class TaskSeedsFile {
  private TaskSeedsFile() {}

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: TaskSeedsFile <preset> <seed> [iterations]");
      System.exit(2);
    }
    SpecContext context = new SpecContext(Set.of("minihack-room", "minihack-maze", "webshop", "alfworld"),
        name -> Optional.empty(), Set.of());
    RunSpec preset = new RunSpecLoader(context).loadPreset(args[0]);
    RunSpec spec = new RunSpec(preset.name(), Long.parseLong(args[1]), preset.tasks(), preset.models(),
        preset.algorithm(), preset.budget(), preset.backends(), preset.curriculum());
    int iterations = args.length > 2 ? Integer.parseInt(args[2]) : spec.budget().iterations();
    for (int it = 0; it < iterations; it++) {
      System.out.println(TaskPlanner.training("seeds", it, spec).tasks().stream()
          .map(t -> Long.toString(t.seed())).collect(Collectors.joining(",")));
    }
  }
}
