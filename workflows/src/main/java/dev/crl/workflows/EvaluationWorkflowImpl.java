package dev.crl.workflows;

import dev.crl.api.payload.EvalResult;
import dev.crl.api.payload.IterationPlan;
import dev.crl.api.payload.RetrievalResult;
import dev.crl.api.payload.RolloutResult;
import dev.crl.api.spec.TasksSpec.EnvWeight;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One plan covers both columns: with experience each held-out instance is played once free and
 * once guided, so "without" reads the free rollouts and "with" the guided ones. The rollout
 * activity reports {@code success_free}, {@code success_guided} and, per environment,
 * {@code success_free/<env>} and {@code success_guided/<env>}.
 */
public class EvaluationWorkflowImpl implements EvaluationWorkflow {

  @Override
  public EvalResult evaluate(EvaluationRequest request) {
    ActivityStubs stubs = ActivityStubs.forSpec(request.spec());
    IterationPlan plan = TaskPlanner.evaluation(
        request.runId(), request.iteration(), request.spec().tasks(), request.withExperience());
    String assignments = null;
    if (request.withExperience()) {
      RetrievalResult retrieval = stubs.experienceShort.retrieve(plan, true);
      assignments = retrieval.assignmentsKey();
    }
    List<RolloutResult> shards =
        RolloutFanOut.rollOut(stubs.rollout, plan, request.actor(), assignments, true);
    Map<String, Double> stats = ShardStats.aggregate(shards);

    Map<String, Double> perTask = new TreeMap<>();
    for (EnvWeight env : request.spec().tasks().envs()) {
      perTask.put(env.id() + "/without", freeRate(stats, "/" + env.id()));
      if (request.withExperience()) {
        perTask.put(env.id() + "/with", stats.getOrDefault("success_guided/" + env.id(), Double.NaN));
      }
    }
    double with = request.withExperience()
        ? stats.getOrDefault("success_guided", Double.NaN) : Double.NaN;
    return new EvalResult(request.iteration(), freeRate(stats, ""), with, perTask, null);
  }

  /** The free success rate; a plan without guided rollouts may report plain {@code success}. */
  private static double freeRate(Map<String, Double> stats, String suffix) {
    Double free = stats.get("success_free" + suffix);
    if (free != null) {
      return free;
    }
    return stats.getOrDefault("success" + suffix, Double.NaN);
  }
}
