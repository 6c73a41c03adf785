package dev.crl.workflows;

import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.payload.HyperparameterChange;
import dev.crl.api.payload.RunState;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.CurriculumSpec.StageSpec;
import dev.crl.api.spec.RunSpec;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The representative executions whose histories the replay tests check, and the utility that
 * records them. Recording is deliberate: after an intended change to workflow code, regenerate
 * the histories with
 *
 * <pre>
 * mvn -B -o -pl workflows -am test -Dtest=RecordHistories -Dsurefire.failIfNoSpecifiedTests=false -Dcrl.recordHistories=true
 * </pre>
 *
 * and commit them together with the change. A change that alters the commands an existing
 * history expects then fails {@link WorkflowReplayTest} until the histories are regenerated, which
 * is the reminder that running executions would break (use {@code Workflow.getVersion} instead).
 */
final class HistoryScenarios {
  /** History limit of the continue-as-new scenario; its replay must use the same limit. */
  static final int CONTINUE_AS_NEW_LIMIT = 60;

  static final String TRAINING_RUN = "histories/training-run.json";
  static final String TRAINING_RUN_SIGNALS = "histories/training-run-signals.json";
  static final String TRAINING_RUN_CONTINUED_FIRST = "histories/training-run-continue-as-new-first.json";
  static final String TRAINING_RUN_CONTINUED_LAST = "histories/training-run-continue-as-new-last.json";
  static final String EVALUATION = "histories/evaluation.json";
  static final String CURRICULUM = "histories/curriculum.json";

  /**
   * Training-run histories recorded before the loop stopped waiting for {@code logMetrics}
   * (version marker {@value TrainingRunWorkflowImpl#ASYNC_LOG_METRICS}); kept, never
   * regenerated, so executions started by older code are proven to replay on the current code.
   */
  static final String BEFORE_ASYNC_LOG_METRICS = "histories/before-async-log-metrics/";

  /** Every recorded history, so a history without a replay test cannot go unnoticed. */
  static final List<String> ALL = List.of(TRAINING_RUN, TRAINING_RUN_SIGNALS,
      TRAINING_RUN_CONTINUED_FIRST, TRAINING_RUN_CONTINUED_LAST, EVALUATION, CURRICULUM);

  private HistoryScenarios() {}

  /** Runs every scenario and writes its histories under {@code resourcesDir}. */
  static void recordAll(Path resourcesDir) throws IOException {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      RunSpec spec = TestSpecs.run(5, 2, 2, Map.of("extractor_buffer", "16"));
      harness.run(RunState.fresh("replay", spec));
      write(harness, WorkflowIds.run("replay"), null, resourcesDir.resolve(TRAINING_RUN));
      write(harness, WorkflowIds.evaluation("replay", 2), null, resourcesDir.resolve(EVALUATION));
    }
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      RunSpec spec = TestSpecs.run(50, 2, 0, Map.of());
      TrainingRunWorkflow run = harness.newRun("replay-signals");
      WorkflowStub stub = harness.start(run, new RunState("replay-signals", spec, 0, null, null,
          null, 0, List.of(), 0, List.of(), true));
      WorkflowTestHarness.await("paused", 20, () -> "paused".equals(run.status().phase()));
      run.updateHyperparameters(new HyperparameterChange("group_size", "2"));
      run.resume();
      WorkflowTestHarness.await("two iterations", 20, () -> harness.log.count("logMetrics") >= 2);
      run.stop();
      stub.getResult(RunSummary.class);
      write(harness, WorkflowIds.run("replay-signals"), null, resourcesDir.resolve(TRAINING_RUN_SIGNALS));
    }
    try (WorkflowTestHarness harness = new WorkflowTestHarness(CONTINUE_AS_NEW_LIMIT)) {
      RunSpec spec = TestSpecs.run(4, 2, 2, Map.of("extractor_buffer", "16"));
      TrainingRunWorkflow run = harness.newRun("replay-can");
      WorkflowStub stub = harness.start(run, RunState.fresh("replay-can", spec));
      String firstRunId = stub.getExecution().getRunId();
      stub.getResult(RunSummary.class);
      write(harness, WorkflowIds.run("replay-can"), firstRunId,
          resourcesDir.resolve(TRAINING_RUN_CONTINUED_FIRST));
      write(harness, WorkflowIds.run("replay-can"), null, resourcesDir.resolve(TRAINING_RUN_CONTINUED_LAST));
    }
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      harness.rollouts.successModel = request ->
          request.plan().runId().contains("-a1") ? 0.1 : 0.7;
      RunSpec spec = TestSpecs.curriculum(List.of(
          new StageSpec("easy", TestSpecs.tasks("minihack-room"), 2, 0.5, 2),
          new StageSpec("hard", TestSpecs.tasks("minihack-maze"), 1, 0.0, 1)));
      CurriculumWorkflow curriculum = harness.client().newWorkflowStub(CurriculumWorkflow.class,
          WorkflowOptions.newBuilder()
              .setWorkflowId(WorkflowIds.curriculum("replay-cur"))
              .setTaskQueue(WorkflowTestHarness.queue(Role.WORKFLOW))
              .build());
      curriculum.run("replay-cur", spec);
      write(harness, WorkflowIds.curriculum("replay-cur"), null, resourcesDir.resolve(CURRICULUM));
    }
  }

  private static void write(WorkflowTestHarness harness, String workflowId, String runId, Path file)
      throws IOException {
    var history = runId == null
        ? harness.client().fetchHistory(workflowId)
        : harness.client().fetchHistory(workflowId, runId);
    Files.createDirectories(file.getParent());
    Files.writeString(file, history.toJson(true) + "\n", StandardCharsets.UTF_8);
    System.out.printf("recorded %s (%d events)%n", file, history.getEvents().size());
  }

}
