package dev.crl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A complete, typed description of one training run: what to train on, which models, which
 * algorithm settings, how long, and where state lives. A YAML file is parsed into this record
 * by {@link RunSpecLoader}; missing sections take the paper's defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSpec(
    String name,
    Long seed,
    TasksSpec tasks,
    ModelsSpec models,
    AlgorithmSpec algorithm,
    BudgetSpec budget,
    BackendsSpec backends,
    CurriculumSpec curriculum) {

  public RunSpec {
    name = name == null ? "run" : name;
    seed = seed == null ? 0L : seed;
    tasks = tasks == null ? new TasksSpec(null, null, null) : tasks;
    models = models == null ? new ModelsSpec(null, null, null) : models;
    algorithm = algorithm == null ? AlgorithmSpec.defaults() : algorithm;
    budget = budget == null ? BudgetSpec.defaults() : budget;
    backends = backends == null ? BackendsSpec.defaults() : backends;
  }

  /** Whether this spec describes a curriculum of stages rather than one training run. */
  public boolean hasCurriculum() {
    return curriculum != null && !curriculum.stages().isEmpty();
  }

  /** Returns a copy with other backends, leaving every other section untouched. */
  public RunSpec withBackends(BackendsSpec newBackends) {
    return new RunSpec(name, seed, tasks, models, algorithm, budget, newBackends, curriculum);
  }

  /** Returns a copy with another algorithm section (used for validated hyperparameter changes). */
  public RunSpec withAlgorithm(AlgorithmSpec newAlgorithm) {
    return new RunSpec(name, seed, tasks, models, newAlgorithm, budget, backends, curriculum);
  }

  /** Returns a copy with another budget section. */
  public RunSpec withBudget(BudgetSpec newBudget) {
    return new RunSpec(name, seed, tasks, models, algorithm, newBudget, backends, curriculum);
  }

  /** Returns a copy with another task section (curriculum stages replace the mixture). */
  public RunSpec withTasks(TasksSpec newTasks) {
    return new RunSpec(name, seed, newTasks, models, algorithm, budget, backends, curriculum);
  }
}
