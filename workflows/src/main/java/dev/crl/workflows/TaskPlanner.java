package dev.crl.workflows;

import dev.crl.api.payload.IterationPlan;
import dev.crl.api.payload.TaskInstance;
import dev.crl.api.spec.RunSpec;
import dev.crl.api.spec.TasksSpec;
import dev.crl.api.spec.TasksSpec.EnvWeight;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plans which task instances an iteration rolls out. Pure and deterministic (a function of the
 * spec's seed, the iteration and the mixture weights), so it is safe in workflow code and a
 * replay plans exactly what the original execution planned. Public so that code outside the
 * workflow (the orchestration benchmark's in-process loop) plays exactly the same tasks.
 */
public final class TaskPlanner {
  private TaskPlanner() {}

  /**
   * The training plan of one iteration. Each environment gets its share of the iteration's tasks
   * by largest remainder of its weight, so small mixtures are represented exactly rather than by
   * chance. Training seeds are drawn below the evaluation seed offset, so training never sees a
   * held-out instance.
   */
  public static IterationPlan training(String runId, int iteration, RunSpec spec) {
    List<EnvWeight> envs = requireEnvs(spec.tasks());
    int tasks = spec.budget().tasksPerIteration();
    int[] counts = apportion(envs, tasks);
    SplittableRandom random = new SplittableRandom(mix(spec.seed(), iteration));
    long seedBound = Math.max(1L, spec.tasks().eval().seedOffset());
    List<TaskInstance> instances = new ArrayList<>(tasks);
    for (int e = 0; e < envs.size(); e++) {
      for (int i = 0; i < counts[e]; i++) {
        instances.add(new TaskInstance(envs.get(e).id(), random.nextLong(seedBound)));
      }
    }
    int groupSize = spec.algorithm().groupSize();
    return new IterationPlan(runId, iteration, instances, groupSize, guidedPerGroup(spec, iteration));
  }

  /**
   * The evaluation plan: the same held-out instances for every evaluation of a run ({@code
   * episodes} seeds from the evaluation offset per environment). With experience, each instance
   * is played twice, once free and once guided, so one plan yields both columns of the paper's
   * table from the same instances.
   */
  static IterationPlan evaluation(String runId, int iteration, TasksSpec tasks, boolean withExperience) {
    List<EnvWeight> envs = requireEnvs(tasks);
    long offset = tasks.eval().seedOffset();
    List<TaskInstance> instances = new ArrayList<>();
    for (EnvWeight env : envs) {
      for (int i = 0; i < tasks.eval().episodes(); i++) {
        instances.add(new TaskInstance(env.id(), offset + i));
      }
    }
    return withExperience
        ? new IterationPlan(runId, iteration, instances, 2, 1)
        : new IterationPlan(runId, iteration, instances, 1, 0);
  }

  /** Guided rollouts per group: none before the retrieval warm-up or without experience. */
  static int guidedPerGroup(RunSpec spec, int iteration) {
    if (!spec.algorithm().usesExperience() || iteration < spec.algorithm().retrievalWarmupSteps()) {
      return 0;
    }
    int groupSize = spec.algorithm().groupSize();
    long guided = Math.round(groupSize * spec.algorithm().guidedFraction());
    return (int) Math.max(0, Math.min(groupSize, guided));
  }

  private static List<EnvWeight> requireEnvs(TasksSpec tasks) {
    if (tasks.envs().isEmpty()) {
      throw new IllegalArgumentException("the run spec's tasks have no environments; mixture "
          + tasks.mixture() + " must be resolved into tasks.envs before the workflow starts");
    }
    return tasks.envs();
  }

  /** Splits {@code total} tasks over the environments in proportion to their weights. */
  static int[] apportion(List<EnvWeight> envs, int total) {
    double weightSum = envs.stream().mapToDouble(EnvWeight::weight).sum();
    int[] counts = new int[envs.size()];
    double[] remainders = new double[envs.size()];
    int assigned = 0;
    for (int e = 0; e < envs.size(); e++) {
      double exact = total * envs.get(e).weight() / weightSum;
      counts[e] = (int) Math.floor(exact);
      remainders[e] = exact - counts[e];
      assigned += counts[e];
    }
    for (; assigned < total; assigned++) {
      int best = 0;
      for (int e = 1; e < envs.size(); e++) {
        if (remainders[e] > remainders[best]) {
          best = e;
        }
      }
      counts[best]++;
      remainders[best] = -1;
    }
    return counts;
  }

  private static long mix(long seed, int iteration) {
    long z = seed * 0x9E3779B97F4A7C15L + iteration;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
