package dev.crl.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.api.payload.HyperparameterChange;
import dev.crl.api.payload.RolloutRequest;
import dev.crl.api.payload.RunState;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.AlgorithmSpec;
import dev.crl.api.spec.RunSpec;
import io.temporal.client.WorkflowUpdateException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validated hyperparameter changes of a running run. */
class HyperparameterUpdateTest {

  @Test
  void rejectsBadChangesAndAppliesGoodOnesFromTheNextIteration() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      RunSpec spec = TestSpecs.run(3, 0, 0, Map.of());
      RunState pausedAtStart = new RunState("hp", spec, 0, null, null, null, 0, List.of(), 0,
          List.of(), true);
      TrainingRunWorkflow run = harness.newRun("hp");
      var stub = harness.start(run, pausedAtStart);
      WorkflowTestHarness.await("paused before the first iteration", 20,
          () -> "paused".equals(run.status().phase()));

      WorkflowUpdateException unknown = assertThrows(WorkflowUpdateException.class,
          () -> run.updateHyperparameters(new HyperparameterChange("actor_lrr", "1e-5")));
      assertTrue(rootMessage(unknown).contains("algorithm.actor_lrr"), rootMessage(unknown));
      WorkflowUpdateException negative = assertThrows(WorkflowUpdateException.class,
          () -> run.updateHyperparameters(new HyperparameterChange("group_size", "0")));
      assertTrue(rootMessage(negative).contains("group_size"), rootMessage(negative));
      WorkflowUpdateException mode = assertThrows(WorkflowUpdateException.class,
          () -> run.updateHyperparameters(new HyperparameterChange("mode", "grpo")));
      assertTrue(rootMessage(mode).contains("fixed for the life of a run"), rootMessage(mode));

      AlgorithmSpec updated = run.updateHyperparameters(new HyperparameterChange("group_size", "6"));
      assertEquals(6, updated.groupSize());
      assertEquals(spec.algorithm().actorLr(), updated.actorLr(), "other fields are untouched");

      run.resume();
      RunSummary summary = stub.getResult(RunSummary.class);
      assertEquals("completed", summary.status());
      List<Integer> groupSizes = harness.log.of("rollout").stream()
          .map(c -> c.<RolloutRequest>arg(0)).filter(r -> !r.evaluation())
          .map(r -> r.plan().groupSize()).distinct().toList();
      assertEquals(List.of(6), groupSizes, "every iteration after the update uses the new value");
    }
  }

  private static String rootMessage(Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage();
  }
}
