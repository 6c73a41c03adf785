package dev.crl.workflows;

import dev.crl.api.activity.TaskQueues;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.payload.ActorUpdateRequest;
import dev.crl.api.payload.BankSnapshotRef;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.payload.EvalResult;
import dev.crl.api.payload.HyperparameterChange;
import dev.crl.api.payload.IterationPlan;
import dev.crl.api.payload.RetrievalResult;
import dev.crl.api.payload.RolloutResult;
import dev.crl.api.payload.RunStart;
import dev.crl.api.payload.RunState;
import dev.crl.api.payload.RunStatus;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.payload.TrainResult;
import dev.crl.api.spec.AlgorithmSpec;
import dev.crl.api.spec.HyperparameterChanges;
import dev.crl.api.spec.RunSpec;
import dev.crl.api.spec.SpecException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The co-evolution loop. Each iteration: plan tasks, retrieve experience for the guided half of
 * each group (after the warm-up), roll out in parallel shards, hand the episodes to the
 * background track, update the actor, log metrics, snapshot the bank every {@code
 * checkpoint_every} and evaluate every {@code eval_every}. The run continues-as-new with one
 * {@link RunState} before its history grows large.
 */
public class TrainingRunWorkflowImpl implements TrainingRunWorkflow {
  /** History events after which the run continues-as-new (Temporal suggests it near 4,096). */
  public static final int DEFAULT_HISTORY_EVENT_LIMIT = 2_000;
  /** Failure type of a run state the workflow cannot start from. */
  public static final String INVALID_RUN_STATE = "InvalidRunState";
  /**
   * Version marker of the change that logs an iteration's metrics without waiting for them:
   * executions recorded before it (no marker) still await each {@code logMetrics} on replay.
   */
  static final String ASYNC_LOG_METRICS = "async-log-metrics";

  private final int historyEventLimit;

  private String runId;
  private RunSpec spec;
  private int iteration;
  private CheckpointRef actor;
  private BankSnapshotRef bank;
  private int lastSnapshotIteration = -1;
  private final List<EvalResult> evaluations = new ArrayList<>();
  private long elapsedBeforeThisExecution;
  private long executionStartMillis;
  private boolean paused;
  private boolean stopRequested;
  private String phase = "starting";
  private Map<String, Double> lastStats = Map.of();
  private ActivityStubs stubs;
  private BackgroundTrack background;
  /** The latest iteration's {@code logMetrics}, still running while the next iteration starts. */
  private Promise<Void> metricsLogged;

  /** The worker's implementation: continues-as-new after {@value #DEFAULT_HISTORY_EVENT_LIMIT} events. */
  public TrainingRunWorkflowImpl() {
    this(DEFAULT_HISTORY_EVENT_LIMIT);
  }

  /** An implementation with another history limit, for tests of continue-as-new. */
  public TrainingRunWorkflowImpl(int historyEventLimit) {
    this.historyEventLimit = historyEventLimit;
  }

  @Override
  public RunSummary run(RunState state) {
    begin(state);
    if (iteration == 0 && evaluations.isEmpty()) {
      evaluate();
    }
    boolean budgetReached = true;
    while (iteration < spec.budget().iterations()) {
      awaitUnpaused();
      if (stopRequested || wallClockSpent()) {
        budgetReached = false;
        break;
      }
      runIteration();
      if (iteration < spec.budget().iterations() && historyNearLimit()) {
        continueAsNew();
      }
    }
    return finish(budgetReached ? "completed" : "stopped");
  }

  private void begin(RunState state) {
    checkStartable(state);
    runId = state.runId();
    spec = state.spec();
    iteration = state.nextIteration();
    actor = state.actor();
    bank = state.bank();
    evaluations.addAll(state.evalHistory());
    elapsedBeforeThisExecution = state.elapsedMillis();
    paused = paused || state.paused();
    executionStartMillis = Workflow.currentTimeMillis();
    stubs = ActivityStubs.forSpec(spec);

    stubs.tracking.startTracking(runId, spec, trackingTags());
    CheckpointRef extractor = state.extractor();
    if (actor == null) {
      phase = "initializing";
      RunStart start = stubs.training.initializeRun(runId, spec);
      actor = start.actor();
      extractor = start.extractor();
    }
    boolean continued = Workflow.getInfo().getContinuedExecutionRunId().isPresent();
    if (!continued && bank != null && spec.algorithm().usesExperience()) {
      // A fresh execution (a curriculum stage or a resumed run) starts from a saved bank; a
      // continued execution keeps the bank the experience workers already hold.
      phase = "restoring_bank";
      stubs.experienceShort.restoreBank(runId, bank);
    }
    background = new BackgroundTrack(stubs.experienceLong, stubs.training, extractor,
        state.extractorStep(), state.pendingSampleKeys(), state.pendingSamples());
  }

  private void runIteration() {
    long started = Workflow.currentTimeMillis();
    AlgorithmSpec algorithm = spec.algorithm();
    background.collectFinished(runId, algorithm);

    IterationPlan plan = TaskPlanner.training(runId, iteration, spec);
    Map<String, Double> metrics = new TreeMap<>();
    String assignments = null;
    if (plan.guidedPerGroup() > 0) {
      phase = "retrieve";
      RetrievalResult retrieval = stubs.experienceShort.retrieve(plan, false);
      assignments = retrieval.assignmentsKey();
      background.observeBankSize(retrieval.bankSize());
      metrics.put("guided_rollouts", (double) retrieval.guidedRollouts());
      metrics.put("retrieval_latency_p50_ms", retrieval.latencyP50Ms());
      metrics.put("retrieval_latency_p99_ms", retrieval.latencyP99Ms());
    }

    phase = "rollout";
    List<RolloutResult> shards = RolloutFanOut.rollOut(stubs.rollout, plan, actor, assignments, false);
    metrics.putAll(ShardStats.aggregate(shards));
    List<String> trajectories = ShardStats.trajectoryKeys(shards);
    if (algorithm.usesExperience()) {
      background.startDistill(runId, iteration, trajectories, algorithm);
    }

    if (algorithm.actorLearns()) {
      phase = "update_actor";
      TrainResult update = stubs.training.updateActor(
          new ActorUpdateRequest(runId, iteration, actor, trajectories));
      actor = update.checkpoint();
      update.stats().forEach((key, value) -> metrics.put("actor_" + key, value));
    }
    iteration++;

    if (algorithm.usesExperience() && algorithm.mergeEvery() > 0
        && iteration % algorithm.mergeEvery() == 0) {
      background.startMerge(runId, iteration);
    }
    if (algorithm.usesExperience()) {
      metrics.putAll(background.takeMetrics());
    }
    metrics.put("actor_step", (double) actor.step());
    metrics.put("iteration_seconds", (Workflow.currentTimeMillis() - started) / 1000.0);
    metrics.values().removeIf(value -> value == null || !Double.isFinite(value));
    logMetrics(iteration - 1, metrics);
    lastStats = Map.copyOf(metrics);

    int checkpointEvery = spec.budget().checkpointEvery();
    if (checkpointEvery > 0 && iteration % checkpointEvery == 0) {
      snapshotBank();
    }
    int evalEvery = spec.budget().evalEvery();
    if (evalEvery > 0 && iteration % evalEvery == 0) {
      evaluate();
    }
  }

  /**
   * Logs one iteration's metrics. Logging is off the primary loop's critical path: the next
   * iteration starts (its retrieval is scheduled in the same workflow task) while the metrics are
   * written. At most one call is outstanding, so points still arrive in step order, and the run
   * waits for it before it records an evaluation, continues as new or finishes.
   */
  private void logMetrics(int step, Map<String, Double> metrics) {
    if (Workflow.getVersion(ASYNC_LOG_METRICS, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      phase = "log_metrics";
      stubs.tracking.logMetrics(runId, step, metrics);
      return;
    }
    awaitMetricsLogged();
    metricsLogged = Async.procedure(stubs.tracking::logMetrics, runId, step, metrics);
  }

  private void awaitMetricsLogged() {
    if (metricsLogged != null) {
      Promise<Void> pending = metricsLogged;
      metricsLogged = null;
      pending.get();
    }
  }

  private RunSummary finish(String status) {
    phase = "finishing";
    background.drain(spec.algorithm());
    awaitMetricsLogged();
    boolean evaluatedNow = !evaluations.isEmpty()
        && evaluations.get(evaluations.size() - 1).iteration() == iteration;
    // A stop signal asks to end now; a spent budget (iterations or wall clock) ends with an
    // evaluation of the final actor, so every finished run reports where it got to.
    if (!stopRequested && !evaluatedNow) {
      evaluate();
    }
    snapshotBank();
    RunSummary summary = new RunSummary(runId, status, iteration, actor, background.extractor(),
        bank, evaluations);
    stubs.tracking.finishTracking(runId, summary);
    phase = status;
    return summary;
  }

  private void evaluate() {
    phase = "evaluate";
    ChildWorkflowOptions options = ChildWorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.evaluation(runId, iteration))
        .setTaskQueue(TaskQueues.queue(spec.backends().temporal().taskQueuePrefix(), Role.WORKFLOW))
        .build();
    EvaluationWorkflow evaluation = Workflow.newChildWorkflowStub(EvaluationWorkflow.class, options);
    EvalResult result = evaluation.evaluate(new EvaluationRequest(
        runId, iteration, spec, actor, spec.algorithm().usesExperience()));
    evaluations.add(result);
    awaitMetricsLogged();
    stubs.tracking.recordEvaluation(runId, result);
  }

  private void snapshotBank() {
    if (!spec.algorithm().usesExperience() || lastSnapshotIteration == iteration) {
      return;
    }
    phase = "checkpoint";
    bank = stubs.experienceShort.snapshotBank(runId, iteration);
    background.observeBankSize(bank.entries());
    lastSnapshotIteration = iteration;
  }

  private void continueAsNew() {
    phase = "continuing_as_new";
    background.drain(spec.algorithm());
    awaitMetricsLogged();
    if (stopRequested) {
      // A stop that arrived while the background work drained ends the run here instead of in
      // the next execution: the loop sees the request and finishes.
      return;
    }
    Workflow.continueAsNew(currentState());
  }

  private RunState currentState() {
    return new RunState(runId, spec, iteration, actor, background.extractor(), bank,
        background.extractorStep(), background.pendingSampleKeys(), background.pendingSamples(),
        evaluations, paused, elapsedMillis());
  }

  private void awaitUnpaused() {
    if (paused && !stopRequested) {
      String previous = phase;
      phase = "paused";
      Workflow.await(() -> !paused || stopRequested);
      phase = previous;
    }
  }

  private boolean historyNearLimit() {
    WorkflowInfo info = Workflow.getInfo();
    return info.getHistoryLength() >= historyEventLimit || info.isContinueAsNewSuggested();
  }

  private boolean wallClockSpent() {
    double minutes = spec.budget().wallClockMinutes();
    return minutes > 0 && elapsedMillis() >= minutes * 60_000.0;
  }

  private long elapsedMillis() {
    return elapsedBeforeThisExecution + (Workflow.currentTimeMillis() - executionStartMillis);
  }

  private Map<String, String> trackingTags() {
    WorkflowInfo info = Workflow.getInfo();
    return Map.of(
        "temporal.workflow_id", info.getWorkflowId(),
        "temporal.run_id", info.getRunId(),
        "crl.mode", spec.algorithm().mode(),
        "crl.start_iteration", Integer.toString(iteration));
  }

  private static void checkStartable(RunState state) {
    List<String> problems = new ArrayList<>();
    if (state == null || state.spec() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "a training run needs a run state with a spec", INVALID_RUN_STATE);
    }
    if (state.runId() == null || state.runId().isBlank()) {
      problems.add("runId is empty");
    }
    if (state.spec().tasks().envs().isEmpty()) {
      problems.add("tasks.envs is empty (resolve the mixture '" + state.spec().tasks().mixture()
          + "' into environments before starting the run)");
    }
    if (state.nextIteration() < 0) {
      problems.add("nextIteration is negative: " + state.nextIteration());
    }
    if (state.spec().budget().tasksPerIteration() <= 0) {
      problems.add("budget.tasks_per_iteration must be positive");
    }
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "cannot start training run: " + String.join("; ", problems), INVALID_RUN_STATE);
    }
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    paused = false;
  }

  @Override
  public void stop() {
    stopRequested = true;
  }

  @Override
  public RunStatus status() {
    int iterations = spec == null ? 0 : spec.budget().iterations();
    // Between the pause signal and the end of the current iteration the run is still working.
    String shownPhase = paused && !"paused".equals(phase) ? "pausing" : phase;
    return new RunStatus(runId, iteration, iterations, shownPhase, paused, stopRequested,
        lastStats, List.copyOf(evaluations));
  }

  @Override
  public void validateHyperparameters(HyperparameterChange change) {
    if (spec == null) {
      throw new IllegalStateException("the run has not started yet; retry in a moment");
    }
    if (change == null || change.field() == null) {
      throw new IllegalArgumentException("a hyperparameter change needs a field and a value");
    }
    if ("mode".equals(change.field().strip())) {
      throw new IllegalArgumentException("algorithm.mode is fixed for the life of a run: a run is"
          + " one configuration (complementary, grpo, static_extractor or experience_only)");
    }
    try {
      HyperparameterChanges.apply(spec.algorithm(), change);
    } catch (SpecException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public AlgorithmSpec updateHyperparameters(HyperparameterChange change) {
    AlgorithmSpec updated = HyperparameterChanges.apply(spec.algorithm(), change);
    spec = spec.withAlgorithm(updated);
    return updated;
  }
}
