package dev.crl.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.api.payload.ActorUpdateRequest;
import dev.crl.api.payload.BankSnapshotRef;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.payload.DistillRequest;
import dev.crl.api.payload.EvalResult;
import dev.crl.api.payload.ExtractorUpdateRequest;
import dev.crl.api.payload.IterationPlan;
import dev.crl.api.payload.RolloutRequest;
import dev.crl.api.payload.RunState;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.payload.TrainResult;
import dev.crl.api.spec.RunSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The training run's orchestration against recording fakes on an in-memory Temporal service. */
class TrainingRunWorkflowTest {

  @Test
  void wholeRunFollowsTheLoopAndItsCadences() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      RunSpec spec = TestSpecs.run(5, 2, 2, Map.of());
      RunSummary summary = harness.run(RunState.fresh("whole", spec));
      CallLog log = harness.log;

      assertEquals("completed", summary.status());
      assertEquals(5, summary.iterations());
      assertEquals(1, log.count("initializeRun"));
      assertEquals(1, log.count("startTracking"));
      assertEquals(1, log.count("finishTracking"));

      // Evaluations: the initial policy, every eval_every updates, and the final actor.
      assertEquals(List.of(0, 2, 4, 5), summary.evalHistory().stream().map(EvalResult::iteration).toList());
      assertEquals(4, log.count("recordEvaluation"));
      EvalResult initial = summary.evalHistory().get(0);
      assertEquals(0.1, initial.successWithout(), 1e-9, "initial policy is the step-0 actor");
      assertEquals(0.2, initial.successWith(), 1e-9, "guided column reads the guided rollouts");
      assertEquals(0.1 + 0.05 * 5, summary.evalHistory().get(3).successWithout(), 1e-9);
      assertEquals(Map.of("alfworld-pick/with", 0.2, "alfworld-pick/without", 0.1,
          "minihack-room/with", 0.2, "minihack-room/without", 0.1), initial.perTask());

      // One actor update per iteration, each from the checkpoint the previous one wrote.
      List<ActorUpdateRequest> updates = log.of("updateActor").stream()
          .map(c -> c.<ActorUpdateRequest>arg(0)).toList();
      assertEquals(List.of(0, 1, 2, 3, 4), updates.stream().map(ActorUpdateRequest::iteration).toList());
      for (int i = 0; i < updates.size(); i++) {
        assertEquals(i, updates.get(i).actor().step());
        assertEquals(2, updates.get(i).trajectoriesKeys().size(), "6 tasks -> 2 shards");
      }
      assertEquals(5, summary.actor().step());

      // Retrieval only after the warm-up (1 iteration), for half of each group of 4.
      List<IterationPlan> retrieved = log.of("retrieve").stream()
          .filter(c -> !(Boolean) c.arg(1)).map(c -> c.<IterationPlan>arg(0)).toList();
      assertEquals(List.of(1, 2, 3, 4), retrieved.stream().map(IterationPlan::iteration).toList());
      assertTrue(retrieved.stream().allMatch(p -> p.guidedPerGroup() == 2 && p.groupSize() == 4));
      assertTrue(log.of("rollout").stream().map(c -> c.<RolloutRequest>arg(0))
          .filter(r -> !r.evaluation() && r.plan().iteration() == 0)
          .allMatch(r -> r.assignmentsKey() == null && r.plan().guidedPerGroup() == 0));

      // Metrics once per iteration, with the iteration's time, episodes and bank size.
      List<Integer> steps = log.of("logMetrics").stream().map(c -> c.<Integer>arg(1)).toList();
      assertEquals(List.of(0, 1, 2, 3, 4), steps);
      Map<String, Double> last = log.of("logMetrics").get(4).arg(2);
      assertEquals(24.0, last.get("episodes"));
      assertTrue(last.containsKey("iteration_seconds"));
      assertTrue(last.containsKey("bank_size"));
      assertTrue(last.containsKey("actor_loss"));
      assertTrue(last.containsKey("retrieval_latency_p99_ms"));

      // Bank snapshots every 2 iterations and at the end; merges every 2 actor updates.
      assertEquals(List.of(2, 4, 5), log.of("snapshotBank").stream().map(c -> c.<Integer>arg(1)).toList());
      assertEquals(List.of(2, 4), log.of("mergeBank").stream().map(c -> c.<Integer>arg(1)).toList());
      assertEquals(5, log.count("distill"));
      assertEquals(log.of("snapshotBank").get(2).result(), summary.bank());
    }
  }

  @Test
  void extractorUpdatesWhenTheBufferFillsAndTheNewCheckpointIsSwappedIn() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      // 16 samples per distillation and a buffer of 32: an update per two distillations. Slower
      // rollouts give a finished update time to be absorbed before the last iterations.
      harness.rollouts.sleepMillis = 50;
      RunSpec spec = TestSpecs.run(8, 0, 0, Map.of("extractor_buffer", "32"));
      RunSummary summary = harness.run(RunState.fresh("extractor", spec));
      CallLog log = harness.log;

      List<ExtractorUpdateRequest> updates = log.of("updateExtractor").stream()
          .map(c -> c.<ExtractorUpdateRequest>arg(0)).toList();
      assertFalse(updates.isEmpty(), "8 distillations of 16 samples fill a 32-sample buffer");
      long step = 0;
      for (ExtractorUpdateRequest update : updates) {
        assertEquals(++step, update.extractorStep());
        assertTrue(update.samplesKeys().size() >= 2, "each update waits for a full buffer");
      }
      assertEquals(updates.size(), summary.extractor().step(), "every started update was absorbed");
      // Distillations started after the first update completed use the new extractor.
      int firstUpdate = log.indexOf("updateExtractor", c -> true);
      List<DistillRequest> later = log.all().subList(firstUpdate, log.all().size()).stream()
          .filter(c -> c.method().equals("distill")).map(c -> c.<DistillRequest>arg(0))
          .filter(d -> d.iteration() >= 6).toList();
      assertTrue(later.stream().allMatch(d -> d.extractor().step() >= 1),
          "late distillations use an updated extractor: " + later);
    }
  }

  @Test
  void slowDistillationDoesNotBlockTheNextIterationsRollouts() throws Exception {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      CountDownLatch secondIterationRolling = new CountDownLatch(1);
      AtomicBoolean releasedByRollout = new AtomicBoolean();
      harness.rollouts.onStart = request -> {
        if (!request.evaluation() && request.plan().iteration() == 1) {
          secondIterationRolling.countDown();
        }
      };
      harness.experience.onDistill = request -> {
        if (request.iteration() == 0) {
          try {
            releasedByRollout.set(secondIterationRolling.await(20, TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
      RunSummary summary = harness.run(RunState.fresh("slow-distill", TestSpecs.run(3, 0, 0, Map.of())));
      assertEquals("completed", summary.status());
      assertTrue(releasedByRollout.get(),
          "iteration 1's rollouts started while iteration 0's distillation was still running");
    }
  }

  @Test
  void continueAsNewKeepsIterationsEvaluationsAndBackgroundState() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness(60)) {
      RunSpec spec = TestSpecs.run(6, 2, 3, Map.of("extractor_buffer", "16"));
      RunSummary summary = harness.run(RunState.fresh("can", spec));
      CallLog log = harness.log;

      assertEquals("completed", summary.status());
      assertEquals(6, summary.iterations());
      assertEquals(List.of(0, 3, 6), summary.evalHistory().stream().map(EvalResult::iteration).toList());
      assertEquals(List.of(0, 1, 2, 3, 4, 5),
          log.of("logMetrics").stream().map(c -> c.<Integer>arg(1)).toList(), "no step lost or repeated");
      assertEquals(List.of(0, 1, 2, 3, 4, 5), log.of("updateActor").stream()
          .map(c -> c.<ActorUpdateRequest>arg(0).iteration()).toList());
      assertEquals(1, log.count("initializeRun"), "a continued execution keeps its checkpoints");
      assertEquals(0, log.count("restoreBank"), "a continued execution keeps the live bank");
      long executions = log.of("startTracking").stream()
          .map(c -> c.<Map<String, String>>arg(2).get("temporal.run_id")).distinct().count();
      assertTrue(executions >= 2, "a 60-event limit forces continue-as-new; executions: " + executions);
      // Extractor updates carry on across executions with consecutive steps.
      List<Long> extractorSteps = log.of("updateExtractor").stream()
          .map(c -> c.<ExtractorUpdateRequest>arg(0).extractorStep()).toList();
      for (int i = 0; i < extractorSteps.size(); i++) {
        assertEquals(i + 1, extractorSteps.get(i));
      }
      assertEquals(extractorSteps.size(), summary.extractor().step());
    }
  }

  @Test
  void pauseResumeStopAndStatus() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      TrainingRunWorkflow run = harness.newRun("signals");
      var stub = harness.start(run, RunState.fresh("signals", TestSpecs.run(200, 0, 0, Map.of())));
      CallLog log = harness.log;
      WorkflowTestHarness.await("first iteration", 20, () -> log.count("logMetrics") >= 1);

      run.pause();
      WorkflowTestHarness.await("paused phase", 20, () -> "paused".equals(run.status().phase()));
      long rolloutsWhenPaused = log.count("rollout");
      FakeRolloutActivities.sleepQuietly(400);
      assertEquals(rolloutsWhenPaused, log.count("rollout"), "a paused run starts no rollouts");
      var status = run.status();
      assertTrue(status.paused());
      assertEquals(200, status.iterations());
      assertTrue(status.lastStats().containsKey("episodes"));
      assertEquals(0, status.evalHistory().get(0).iteration());

      run.resume();
      int resumedAt = status.iteration();
      WorkflowTestHarness.await("iterations after resume", 20,
          () -> log.count("logMetrics") >= resumedAt + 2);
      assertFalse(run.status().paused());

      run.stop();
      RunSummary summary = stub.getResult(RunSummary.class);
      assertEquals("stopped", summary.status());
      assertTrue(summary.iterations() < 200 && summary.iterations() >= resumedAt + 2);
      assertEquals(summary.iterations(), log.count("updateActor"), "the current iteration finished");
      assertEquals(summary.iterations(),
          log.of("snapshotBank").get((int) log.count("snapshotBank") - 1).<Integer>arg(1),
          "a stop snapshots the bank");
      assertEquals(1, summary.evalHistory().size(), "a stop does not wait for an evaluation");
      RunSummary reported = log.of("finishTracking").get(0).arg(1);
      assertEquals("stopped", reported.status());
      assertTrue(run.status().stopRequested());
    }
  }

  @Test
  void wallClockBudgetStopsGracefullyWithAFinalEvaluation() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      harness.rollouts.sleepMillis = 150;
      RunSpec base = TestSpecs.run(1000, 0, 0, Map.of());
      RunSpec spec = base.withBudget(new dev.crl.api.spec.BudgetSpec(1000, 6, 5, 16, 0, 0, 0.02));
      RunSummary summary = harness.run(RunState.fresh("wall-clock", spec));
      assertEquals("stopped", summary.status());
      assertTrue(summary.iterations() >= 1 && summary.iterations() < 100,
          "1.2 s of iterations with 150 ms shards: " + summary.iterations());
      assertEquals(summary.iterations(),
          summary.evalHistory().get(summary.evalHistory().size() - 1).iteration());
    }
  }

  @Test
  void freshRunFromSavedCheckpointsRestoresTheBankInsteadOfInitialising() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      RunSpec spec = TestSpecs.run(4, 0, 0, Map.of());
      CheckpointRef actor = new CheckpointRef("actor", "resume/actor/1", 2, "a");
      CheckpointRef extractor = new CheckpointRef("extractor", "resume/extractor/1", 1, "e");
      BankSnapshotRef bank = new BankSnapshotRef("resume/bank/2.json.gz", 40, 9);
      RunState resumed = new RunState("resume", spec, 2, actor, extractor, bank, 1, List.of(), 0,
          List.of(new EvalResult(0, 0.1, 0.2, Map.of(), null)), false);
      RunSummary summary = harness.run(resumed);
      assertEquals(0, harness.log.count("initializeRun"));
      assertEquals(List.of(bank), harness.log.of("restoreBank").stream()
          .map(c -> c.<BankSnapshotRef>arg(1)).toList());
      assertEquals(List.of(2, 3), harness.log.of("updateActor").stream()
          .map(c -> c.<ActorUpdateRequest>arg(0).iteration()).toList());
      assertEquals(actor, harness.log.of("updateActor").get(0).<ActorUpdateRequest>arg(0).actor());
      assertEquals(List.of(0, 4), summary.evalHistory().stream().map(EvalResult::iteration).toList(),
          "a resumed run does not evaluate the initial policy again");
    }
  }

  @Test
  void transientRolloutFailureIsRetriedAndNothingIsDuplicated() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      harness.rollouts.transientFailures.put("1/0", new java.util.concurrent.atomic.AtomicInteger(2));
      RunSummary summary = harness.run(RunState.fresh("retry", TestSpecs.run(3, 0, 0, Map.of())));
      assertEquals("completed", summary.status());
      assertEquals(2, harness.log.count("rollout_failed"));
      long shard0OfIteration1 = harness.log.of("rollout").stream().map(c -> c.<RolloutRequest>arg(0))
          .filter(r -> !r.evaluation() && r.plan().iteration() == 1 && r.shard() == 0).count();
      assertEquals(1, shard0OfIteration1);
      assertEquals(3, harness.log.count("updateActor"));
    }
  }

  @Test
  void invalidInputFailsAtOnceWithoutRetries() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      harness.training.actorFailure =
          new dev.crl.api.InvalidInputException("trajectory shard run/rollouts/0 is missing");
      var error = assertThrows(io.temporal.client.WorkflowFailedException.class,
          () -> harness.run(RunState.fresh("invalid", TestSpecs.run(3, 0, 0, Map.of()))));
      assertEquals(1, harness.log.count("updateActor_failed"), "non-retryable: one attempt only");
      Throwable cause = error.getCause();
      while (cause.getCause() != null && !(cause instanceof io.temporal.failure.ApplicationFailure)) {
        cause = cause.getCause();
      }
      var failure = (io.temporal.failure.ApplicationFailure) cause;
      assertEquals("dev.crl.api.InvalidInputException", failure.getType());
      assertTrue(failure.getOriginalMessage().contains("trajectory shard run/rollouts/0 is missing"));
    }
  }

  @Test
  void runStateWithoutEnvironmentsIsRejectedWithAClearMessage() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      RunSpec spec = TestSpecs.run(3, 0, 0, Map.of())
          .withTasks(new dev.crl.api.spec.TasksSpec("mix-3", List.of(), null));
      var error = assertThrows(io.temporal.client.WorkflowFailedException.class,
          () -> harness.run(RunState.fresh("no-envs", spec)));
      var failure = (io.temporal.failure.ApplicationFailure) error.getCause();
      assertEquals(TrainingRunWorkflowImpl.INVALID_RUN_STATE, failure.getType());
      assertTrue(failure.getOriginalMessage().contains("resolve the mixture 'mix-3'"),
          failure.getOriginalMessage());
      assertEquals(0, harness.log.count("startTracking"));
    }
  }

  @Test
  void noPayloadComesNearTheLimit() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      // A long history of evaluations over six environments is the largest thing a run carries.
      RunSpec spec = TestSpecs.run(3, 1, 1, Map.of()).withTasks(TestSpecs.tasks(
          "minihack-room", "minihack-maze", "alfworld-pick", "alfworld-clean", "sokoban", "webshop"));
      List<EvalResult> history = new java.util.ArrayList<>();
      for (int i = 0; i < 200; i++) {
        Map<String, Double> perTask = new java.util.TreeMap<>();
        for (var env : spec.tasks().envs()) {
          perTask.put(env.id() + "/with", 0.5);
          perTask.put(env.id() + "/without", 0.4);
        }
        history.add(new EvalResult(i, 0.4, 0.5, perTask, "run/eval/" + i + "/report.json"));
      }
      RunState state = new RunState("payloads", spec, 0, null, null, null, 0, List.of(), 0, history, false);
      harness.run(state);
      assertTrue(harness.payloads.payloadsSeen() > 100);
      int largest = harness.payloads.largestBytes();
      System.out.printf("largest payload: %d bytes of %d seen (%s...)%n", largest,
          harness.payloads.payloadsSeen(), harness.payloads.largestPreview());
      assertTrue(largest < 256 * 1024, "largest payload " + largest + " bytes");
      // Every recorded activity argument and result, serialised on its own, is small too.
      var converter = io.temporal.common.converter.DefaultDataConverter.newDefaultInstance();
      for (CallLog.Call call : harness.log.all()) {
        for (Object value : call.args()) {
          int size = converter.toPayload(value).map(p -> p.getSerializedSize()).orElse(0);
          assertTrue(size < 256 * 1024, call.method() + " argument of " + size + " bytes");
        }
        if (call.result() != null) {
          int size = converter.toPayload(call.result()).get().getSerializedSize();
          assertTrue(size < 256 * 1024, call.method() + " result of " + size + " bytes");
        }
      }
    }
  }

  @Test
  void naNSuccessWithSurvivesTheRoundTrip() {
    var converter = io.temporal.common.converter.DefaultDataConverter.newDefaultInstance();
    EvalResult result = new EvalResult(3, 0.25, Double.NaN, Map.of("a/without", 0.25), null);
    var payload = converter.toPayload(result).orElseThrow();
    EvalResult back = converter.fromPayload(payload, EvalResult.class, EvalResult.class);
    assertTrue(Double.isNaN(back.successWith()));
    assertEquals(result.perTask(), back.perTask());
    assertNull(back.reportKey());
    RunState state = RunState.fresh("x", TestSpecs.run(2, 0, 0, Map.of()));
    RunState stateBack = converter.fromPayload(converter.toPayload(state).orElseThrow(), RunState.class, RunState.class);
    assertEquals(state, stateBack);
    assertNotNull(stateBack.spec().algorithm().mode());
    TrainResult train = new TrainResult(new CheckpointRef("actor", "k", 1, "s"), Map.of());
    assertEquals(train, converter.fromPayload(converter.toPayload(train).orElseThrow(), TrainResult.class, TrainResult.class));
  }
}
