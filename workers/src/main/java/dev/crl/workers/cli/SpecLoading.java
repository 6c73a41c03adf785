package dev.crl.workers.cli;

import dev.crl.activities.WorkerResources;
import dev.crl.api.spec.BackendOverrides;
import dev.crl.api.spec.CurriculumSpec;
import dev.crl.api.spec.RunSpec;
import dev.crl.api.spec.RunSpecLoader;
import dev.crl.api.spec.TasksSpec;
import dev.crl.environments.TaskMixtures;
import dev.crl.workers.UserError;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Loads a run spec for a command: from a file or a bundled preset, validated against the
 * environments this build knows, with environment-variable backend overrides applied and named
 * task mixtures resolved into explicit environment weights (workflows only see the latter).
 */
public final class SpecLoading {
  private SpecLoading() {}

  /** A loader that knows this build's environments and mixtures. */
  public static RunSpecLoader loader() {
    return WorkerResources.specLoader();
  }

  /** Loads, validates and resolves the spec named by a file path or a preset name. */
  public static RunSpec load(Path file, String preset) {
    if ((file == null) == (preset == null)) {
      throw new UserError("give a spec file or --preset NAME (one of "
          + String.join(", ", RunSpecLoader.presetNames()) + "), not both");
    }
    RunSpecLoader loader = loader();
    RunSpec spec = file != null ? loader.load(file) : loader.loadPreset(preset);
    return resolveMixtures(BackendOverrides.apply(spec, System.getenv()));
  }

  /** Replaces named mixtures by their environments, in the run and in every curriculum stage. */
  public static RunSpec resolveMixtures(RunSpec spec) {
    RunSpec resolved = spec.withTasks(resolve(spec.tasks()));
    if (!spec.hasCurriculum()) {
      return resolved;
    }
    List<CurriculumSpec.StageSpec> stages = spec.curriculum().stages().stream()
        .map(s -> new CurriculumSpec.StageSpec(s.name(), resolve(s.tasks()), s.iterations(),
            s.promoteAt(), s.maxAttempts()))
        .toList();
    return new RunSpec(resolved.name(), resolved.seed(), resolved.tasks(), resolved.models(),
        resolved.algorithm(), resolved.budget(), resolved.backends(), new CurriculumSpec(stages));
  }

  private static TasksSpec resolve(TasksSpec tasks) {
    if (tasks == null || tasks.mixture() == null) {
      return tasks;
    }
    Map<String, Double> weights = TaskMixtures.get(tasks.mixture()).orElseThrow();
    List<TasksSpec.EnvWeight> envs = weights.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> new TasksSpec.EnvWeight(e.getKey(), e.getValue()))
        .toList();
    return new TasksSpec(null, envs, tasks.eval());
  }
}
