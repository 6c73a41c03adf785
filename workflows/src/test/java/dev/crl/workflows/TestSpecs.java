package dev.crl.workflows;

import dev.crl.api.payload.HyperparameterChange;
import dev.crl.api.spec.AlgorithmSpec;
import dev.crl.api.spec.BudgetSpec;
import dev.crl.api.spec.CurriculumSpec;
import dev.crl.api.spec.HyperparameterChanges;
import dev.crl.api.spec.RunSpec;
import dev.crl.api.spec.TasksSpec;
import dev.crl.api.spec.TasksSpec.EnvWeight;
import dev.crl.api.spec.TasksSpec.EvalSpec;
import java.util.List;
import java.util.Map;

/** Small run specs for workflow tests; algorithm settings go through the validated change path. */
final class TestSpecs {
  private TestSpecs() {}

  static TasksSpec tasks(String... envs) {
    return new TasksSpec(null,
        java.util.Arrays.stream(envs).map(id -> new EnvWeight(id, 1.0)).toList(),
        new EvalSpec(4, 1_000_000L));
  }

  static BudgetSpec budget(int iterations, int tasksPerIteration, int checkpointEvery, int evalEvery) {
    return new BudgetSpec(iterations, tasksPerIteration, 5, 16, checkpointEvery, evalEvery, 0.0);
  }

  /** The paper's algorithm with the given snake_case keys changed. */
  static AlgorithmSpec algorithm(Map<String, String> changes) {
    AlgorithmSpec algorithm = AlgorithmSpec.defaults();
    for (Map.Entry<String, String> change : new java.util.TreeMap<>(changes).entrySet()) {
      algorithm = HyperparameterChanges.apply(algorithm,
          new HyperparameterChange(change.getKey(), change.getValue()));
    }
    return algorithm;
  }

  /** A small complementary run: 6 tasks x 4 rollouts, retrieval from iteration 1. */
  static RunSpec run(int iterations, int checkpointEvery, int evalEvery, Map<String, String> algorithm) {
    Map<String, String> changes = new java.util.HashMap<>(Map.of(
        "group_size", "4", "retrieval_warmup_steps", "1", "merge_every", "2",
        "extractor_buffer", "32"));
    changes.putAll(algorithm);
    return new RunSpec("test", 7L, tasks("minihack-room", "alfworld-pick"), null,
        algorithm(changes), budget(iterations, 6, checkpointEvery, evalEvery), null, null);
  }

  static RunSpec curriculum(List<CurriculumSpec.StageSpec> stages) {
    return new RunSpec("curriculum", 3L, tasks("minihack-room"), null,
        algorithm(Map.of("group_size", "2", "retrieval_warmup_steps", "0", "merge_every", "2")),
        budget(2, 4, 2, 0), null, new CurriculumSpec(stages));
  }
}
