package dev.crl.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.payload.EvalResult;
import dev.crl.api.payload.IterationPlan;
import dev.crl.api.payload.RolloutRequest;
import dev.crl.api.spec.RunSpec;
import io.temporal.client.WorkflowOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The evaluation workflow on its own, as a client (e.g. a CLI command) would start it. */
class EvaluationWorkflowTest {

  private static EvalResult evaluate(WorkflowTestHarness harness, EvaluationRequest request) {
    EvaluationWorkflow evaluation = harness.client().newWorkflowStub(EvaluationWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(WorkflowIds.evaluation(request.runId(), request.iteration()))
            .setTaskQueue(WorkflowTestHarness.queue(Role.WORKFLOW))
            .setWorkflowExecutionTimeout(WorkflowTestHarness.RUN_TIMEOUT)
            .build());
    return evaluation.evaluate(request);
  }

  @Test
  void bothColumnsComeFromOnePlanOfHeldOutInstances() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      // Make the two environments differ so per-task columns are told apart.
      harness.rollouts.successModel = request -> 0.2;
      harness.rollouts.envOffsets.put("minihack-room", 0.3);
      RunSpec spec = TestSpecs.run(1, 0, 0, Map.of()).withTasks(
          new dev.crl.api.spec.TasksSpec(null, TestSpecs.tasks("minihack-room", "alfworld-pick").envs(),
              new dev.crl.api.spec.TasksSpec.EvalSpec(4, 2_000_000L)));
      CheckpointRef actor = new CheckpointRef("actor", "e/actor/9", 10, "sha");
      EvalResult result = evaluate(harness, new EvaluationRequest("e", 10, spec, actor, true));

      IterationPlan retrieved = harness.log.of("retrieve").get(0).arg(0);
      assertEquals(Boolean.TRUE, harness.log.of("retrieve").get(0).arg(1), "evaluation retrieval");
      assertEquals(2, retrieved.groupSize());
      assertEquals(1, retrieved.guidedPerGroup());
      assertTrue(harness.log.of("rollout").stream().map(c -> c.<RolloutRequest>arg(0))
          .allMatch(r -> r.evaluation() && r.actor().equals(actor) && r.assignmentsKey() != null
              && r.plan().tasks().stream().allMatch(t -> t.seed() >= 2_000_000L && t.seed() < 2_000_004L)));
      assertEquals(2, harness.log.count("rollout"), "8 held-out instances make two shards");
      assertEquals(10, result.iteration());
      Map<String, Double> expected = Map.of("minihack-room/without", 0.5, "minihack-room/with", 0.6,
          "alfworld-pick/without", 0.2, "alfworld-pick/with", 0.3);
      assertEquals(expected.keySet(), result.perTask().keySet());
      expected.forEach((key, value) -> assertEquals(value, result.perTask().get(key), 1e-9, key));
      assertEquals(0.35, result.successWithout(), 1e-9, "episode-weighted over both shards");
      assertEquals(0.45, result.successWith(), 1e-9);
    }
  }

  @Test
  void withoutExperienceThereIsNoRetrievalAndNoGuidedColumn() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      RunSpec spec = TestSpecs.run(1, 0, 0, Map.of("mode", "grpo"));
      CheckpointRef actor = new CheckpointRef("actor", "g/actor/0", 2, "sha");
      EvalResult result = evaluate(harness, new EvaluationRequest("g", 2, spec, actor, false));
      assertEquals(0, harness.log.count("retrieve"));
      assertEquals(0.2, result.successWithout(), 1e-9);
      assertTrue(Double.isNaN(result.successWith()));
      assertEquals(java.util.Set.of("minihack-room/without", "alfworld-pick/without"),
          result.perTask().keySet());
    }
  }
}
