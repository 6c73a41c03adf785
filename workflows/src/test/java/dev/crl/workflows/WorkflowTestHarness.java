package dev.crl.workflows;

import dev.crl.api.activity.TaskQueues;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.payload.RunState;
import dev.crl.api.payload.RunSummary;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * An in-memory Temporal service with one worker per role queue, the real workflow
 * implementations on the workflow queue and recording fakes for the four activity families.
 * Time skipping is off: the fakes run in real time and some tests gate them on each other.
 */
final class WorkflowTestHarness implements AutoCloseable {
  static final String PREFIX = "crl";
  static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
  /**
   * The first workflow task of a cold JVM loads and introspects every payload class; on a busy
   * two-core machine that can pass the SDK's one-second deadlock detector, which would fail a
   * test for a reason that has nothing to do with the workflow.
   */
  static final WorkerOptions WORKER_OPTIONS =
      WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(10_000).build();

  final CallLog log = new CallLog();
  final FakeRolloutActivities rollouts = new FakeRolloutActivities(log);
  final FakeTrainingActivities training = new FakeTrainingActivities(log);
  final FakeExperienceActivities experience = new FakeExperienceActivities(log);
  final FakeTrackingActivities tracking = new FakeTrackingActivities(log);
  final PayloadSizeCodec payloads = new PayloadSizeCodec();
  final TestWorkflowEnvironment env;

  WorkflowTestHarness() {
    this(TrainingRunWorkflowImpl.DEFAULT_HISTORY_EVENT_LIMIT);
  }

  /** A harness whose training runs continue-as-new after {@code historyEventLimit} events. */
  WorkflowTestHarness(int historyEventLimit) {
    WorkflowClientOptions clientOptions = WorkflowClientOptions.newBuilder()
        .setDataConverter(new CodecDataConverter(
            DefaultDataConverter.newDefaultInstance(), List.of(payloads)))
        .build();
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(clientOptions)
        .setUseTimeskipping(false)
        .build());
    Worker workflows = env.newWorker(queue(Role.WORKFLOW), WORKER_OPTIONS);
    workflows.registerWorkflowImplementationFactory(
        TrainingRunWorkflow.class, () -> new TrainingRunWorkflowImpl(historyEventLimit));
    workflows.registerWorkflowImplementationTypes(
        EvaluationWorkflowImpl.class, CurriculumWorkflowImpl.class);
    workflows.registerActivitiesImplementations(tracking);
    env.newWorker(queue(Role.ROLLOUT)).registerActivitiesImplementations(rollouts);
    env.newWorker(queue(Role.TRAINING)).registerActivitiesImplementations(training);
    env.newWorker(queue(Role.EXPERIENCE)).registerActivitiesImplementations(experience);
    env.start();
  }

  static String queue(Role role) {
    return TaskQueues.queue(PREFIX, role);
  }

  WorkflowClient client() {
    return env.getWorkflowClient();
  }

  /** A typed stub for a new training run with the id the CLI would use. */
  TrainingRunWorkflow newRun(String runId) {
    return client().newWorkflowStub(TrainingRunWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.run(runId))
        .setTaskQueue(queue(Role.WORKFLOW))
        .setWorkflowExecutionTimeout(RUN_TIMEOUT)
        .build());
  }

  /** Runs a training run to its end. */
  RunSummary run(RunState state) {
    return newRun(state.runId()).run(state);
  }

  /** Starts a training run and returns its untyped stub for waiting on the result. */
  WorkflowStub start(TrainingRunWorkflow run, RunState state) {
    WorkflowClient.start(run::run, state);
    return WorkflowStub.fromTyped(run);
  }

  /** Polls until the condition holds, failing the test after {@code seconds}. */
  static void await(String what, int seconds, BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
      }
      FakeRolloutActivities.sleepQuietly(20);
    }
  }

  @Override
  public void close() {
    env.close();
  }
}
