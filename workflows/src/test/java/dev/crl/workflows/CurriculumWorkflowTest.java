package dev.crl.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.api.payload.ActorUpdateRequest;
import dev.crl.api.payload.BankSnapshotRef;
import dev.crl.api.payload.RolloutRequest;
import dev.crl.api.spec.CurriculumSpec.StageSpec;
import dev.crl.api.spec.RunSpec;
import dev.crl.workflows.CurriculumSummary.StageOutcome;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stages, promotion and retries of a curriculum. */
class CurriculumWorkflowTest {

  /** Runs a curriculum whose fake success depends only on the stage attempt's run id. */
  private static CurriculumSummary runCurriculum(WorkflowTestHarness harness, RunSpec spec) {
    CurriculumWorkflow curriculum = harness.client().newWorkflowStub(CurriculumWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(WorkflowIds.curriculum("cur"))
            .setTaskQueue(WorkflowTestHarness.queue(dev.crl.api.activity.TaskQueues.Role.WORKFLOW))
            .setWorkflowExecutionTimeout(WorkflowTestHarness.RUN_TIMEOUT)
            .build());
    return curriculum.run("cur", spec);
  }

  @Test
  void retriesAStageUntilPromotedAndStartsTheNextFromItsCheckpointsAndBank() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      // Stage "easy" passes on its second attempt; stage "hard" never reaches 0.9.
      harness.rollouts.successModel = request -> {
        String runId = request.plan().runId();
        if (runId.contains("-easy-a1")) {
          return 0.2;
        }
        return runId.contains("-easy-") ? 0.6 : 0.4;
      };
      RunSpec spec = TestSpecs.curriculum(List.of(
          new StageSpec("easy", TestSpecs.tasks("minihack-room"), 2, 0.65, 3),
          new StageSpec("hard", TestSpecs.tasks("minihack-maze", "minihack-room"), 2, 0.9, 2)));
      CurriculumSummary summary = runCurriculum(harness, spec);
      CallLog log = harness.log;

      StageOutcome easy = summary.stages().get(0);
      StageOutcome hard = summary.stages().get(1);
      // The guided column is 0.1 above the free one, and promotion reads the guided column.
      assertEquals(new StageOutcome("easy", 0, 2, true, 0.7, "cur-s0-easy-a2"), easy);
      assertEquals(2, hard.attempts());
      assertFalse(hard.promoted());
      assertEquals(0.5, hard.success(), 1e-9);

      // Each attempt at the first stage starts from scratch; the second stage from stage one.
      assertEquals(List.of("cur-s0-easy-a1", "cur-s0-easy-a2"), log.of("initializeRun").stream()
          .map(c -> c.<String>arg(0)).toList());
      BankSnapshotRef easyBank = log.of("snapshotBank").stream()
          .filter(c -> c.<String>arg(0).equals("cur-s0-easy-a2"))
          .map(c -> (BankSnapshotRef) c.result()).reduce((a, b) -> b).orElseThrow();
      assertEquals(List.of("cur-s1-hard-a1", "cur-s1-hard-a2"), log.of("restoreBank").stream()
          .map(c -> c.<String>arg(0)).toList());
      assertTrue(log.of("restoreBank").stream().allMatch(c -> c.arg(1).equals(easyBank)));
      List<ActorUpdateRequest> hardFirstUpdates = log.of("updateActor").stream()
          .map(c -> c.<ActorUpdateRequest>arg(0))
          .filter(u -> u.runId().startsWith("cur-s1-") && u.iteration() == 0).toList();
      assertEquals(2, hardFirstUpdates.size());
      // The promoted attempt's last actor update (iteration 1) wrote the checkpoint stage two starts from.
      assertTrue(hardFirstUpdates.stream().allMatch(u -> u.actor().key().equals("cur-s0-easy-a2/actor/1")));
      assertEquals("cur-s0-easy-a2/actor/1", easyBestActorKey(summary, log));

      // The stage's tasks replace the mixture, and attempts draw different seeds.
      assertTrue(log.of("rollout").stream().map(c -> c.<RolloutRequest>arg(0))
          .filter(r -> r.plan().runId().startsWith("cur-s1-"))
          .allMatch(r -> r.plan().tasks().stream()
              .allMatch(t -> t.env().equals("minihack-maze") || t.env().equals("minihack-room"))));
      assertFalse(seeds(log, "cur-s0-easy-a1").equals(seeds(log, "cur-s0-easy-a2")));
    }
  }

  @Test
  void promoteAtZeroAlwaysPromotesAfterOneAttempt() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      harness.rollouts.successModel = request -> 0.0;
      RunSpec spec = TestSpecs.curriculum(List.of(
          new StageSpec("only", TestSpecs.tasks("minihack-room"), 1, 0.0, 3)));
      CurriculumSummary summary = runCurriculum(harness, spec);
      assertEquals(1, summary.stages().get(0).attempts());
      assertTrue(summary.stages().get(0).promoted());
      assertEquals(1, summary.actor().step());
    }
  }

  /** The final actor of the attempt stage one went on from, as the training fake wrote it. */
  private static String easyBestActorKey(CurriculumSummary summary, CallLog log) {
    String attempt = summary.stages().get(0).runId();
    return log.of("updateActor").stream()
        .filter(c -> c.<ActorUpdateRequest>arg(0).runId().equals(attempt))
        .map(c -> ((dev.crl.api.payload.TrainResult) c.result()).checkpoint().key())
        .reduce((a, b) -> b).orElseThrow();
  }

  private static List<Long> seeds(CallLog log, String runId) {
    return log.of("rollout").stream().map(c -> c.<RolloutRequest>arg(0))
        .filter(r -> !r.evaluation() && r.plan().runId().equals(runId) && r.plan().iteration() == 0)
        .flatMap(r -> r.plan().tasks().stream()).map(t -> t.seed()).distinct().sorted().toList();
  }
}
