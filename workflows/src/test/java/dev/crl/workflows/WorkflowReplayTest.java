package dev.crl.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays recorded histories against the current workflow code: a change that would break
 * running executions (a non-deterministic change) fails here. Regenerate the histories on
 * purpose with the command in {@link HistoryScenarios}.
 */
class WorkflowReplayTest {
  private TestWorkflowEnvironment env;

  @BeforeEach
  void startEnvironment() {
    env = TestWorkflowEnvironment.newInstance();
  }

  @AfterEach
  void stopEnvironment() {
    env.close();
  }

  private Worker worker(String queue, int historyLimit) {
    Worker worker = env.newWorker(queue, WorkflowTestHarness.WORKER_OPTIONS);
    worker.registerWorkflowImplementationFactory(
        TrainingRunWorkflow.class, () -> new TrainingRunWorkflowImpl(historyLimit));
    worker.registerWorkflowImplementationTypes(EvaluationWorkflowImpl.class, CurriculumWorkflowImpl.class);
    return worker;
  }

  /** A worker registered the way the application registers it: {@link Workflows#all()}. */
  private Worker defaultWorker() {
    Worker worker = env.newWorker("replay", WorkflowTestHarness.WORKER_OPTIONS);
    worker.registerWorkflowImplementationTypes(Workflows.all().toArray(Class<?>[]::new));
    return worker;
  }

  @Test
  void trainingRunReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(HistoryScenarios.TRAINING_RUN, defaultWorker());
  }

  @Test
  void trainingRunWithSignalsAndAnUpdateReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        HistoryScenarios.TRAINING_RUN_SIGNALS, defaultWorker());
  }

  @Test
  void continuedTrainingRunReplaysBothExecutions() throws Exception {
    Worker worker = worker("replay-can", HistoryScenarios.CONTINUE_AS_NEW_LIMIT);
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        HistoryScenarios.TRAINING_RUN_CONTINUED_FIRST, worker);
    WorkflowReplayer.replayWorkflowExecutionFromResource(
        HistoryScenarios.TRAINING_RUN_CONTINUED_LAST, worker);
    assertTrue(read(HistoryScenarios.TRAINING_RUN_CONTINUED_FIRST)
        .contains("EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW"),
        "the first execution of the scenario ends in continue-as-new");
  }

  /** Executions recorded before metrics logging stopped blocking the loop replay unchanged. */
  @Test
  void trainingRunsRecordedBeforeAsyncMetricsLoggingReplay() throws Exception {
    String dir = HistoryScenarios.BEFORE_ASYNC_LOG_METRICS;
    Worker defaults = defaultWorker();
    WorkflowReplayer.replayWorkflowExecutionFromResource(dir + "training-run.json", defaults);
    WorkflowReplayer.replayWorkflowExecutionFromResource(dir + "training-run-signals.json", defaults);
    Worker worker = worker("replay-can-before", HistoryScenarios.CONTINUE_AS_NEW_LIMIT);
    WorkflowReplayer.replayWorkflowExecutionFromResource(dir + "training-run-continue-as-new-first.json", worker);
    WorkflowReplayer.replayWorkflowExecutionFromResource(dir + "training-run-continue-as-new-last.json", worker);
  }

  @Test
  void evaluationReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(HistoryScenarios.EVALUATION, defaultWorker());
  }

  @Test
  void curriculumReplays() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(HistoryScenarios.CURRICULUM, defaultWorker());
  }

  @Test
  void aChangedLoopIsCaughtAsNonDeterministic() {
    // The same code with a lower history limit continues-as-new where the recorded execution
    // went on with its next iteration: exactly the kind of change the replay tests exist for.
    Worker changed = worker("replay-changed", 40);
    Exception error = assertThrows(Exception.class, () -> WorkflowReplayer
        .replayWorkflowExecutionFromResource(HistoryScenarios.TRAINING_RUN, changed));
    assertTrue(describe(error).contains("NonDeterministic"), describe(error));
  }

  @Test
  void everyRecordedHistoryHasAReplayTest() throws Exception {
    Set<String> recorded = new TreeSet<>();
    try (InputStream listing = getClass().getClassLoader().getResourceAsStream("histories")) {
      assertNotNull(listing, "src/test/resources/histories is missing; record it (see HistoryScenarios)");
      for (String name : new String(listing.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (name.endsWith(".json")) {
          recorded.add("histories/" + name.strip());
        }
      }
    }
    assertEquals(new TreeSet<>(HistoryScenarios.ALL), recorded);
  }

  private static String describe(Throwable error) {
    StringBuilder text = new StringBuilder();
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      text.append(cause.getClass().getName()).append(": ").append(cause.getMessage()).append('\n');
    }
    return text.toString();
  }

  private static String read(String resource) throws Exception {
    try (InputStream in = WorkflowReplayTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertNotNull(in, resource + " is missing; record it (see HistoryScenarios)");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
