package dev.crl.workers.bench;

import dev.crl.activities.RunContext;
import dev.crl.activities.WorkerResources;
import dev.crl.activities.experience.ExperienceActivitiesImpl;
import dev.crl.activities.rollout.RolloutActivitiesImpl;
import dev.crl.activities.tracking.TrackingActivitiesImpl;
import dev.crl.activities.training.TrainingActivitiesImpl;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.payload.ActorUpdateRequest;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.payload.DistillRequest;
import dev.crl.api.payload.IterationPlan;
import dev.crl.api.payload.RolloutRequest;
import dev.crl.api.payload.RolloutResult;
import dev.crl.api.payload.RunStart;
import dev.crl.api.payload.RunState;
import dev.crl.api.spec.RunSpec;
import dev.crl.stores.LocalMetricsSink;
import dev.crl.stores.MetricPoint;
import dev.crl.stores.ObjectKeys;
import dev.crl.stores.RunSnapshot;
import dev.crl.workers.cli.SpecLoading;
import dev.crl.workers.runtime.InProcessTemporal;
import dev.crl.workers.runtime.RunLauncher;
import dev.crl.workers.runtime.TemporalService;
import dev.crl.workers.runtime.TemporalServices;
import dev.crl.workers.runtime.WorkerHost;
import dev.crl.workflows.RolloutFanOut;
import dev.crl.workflows.TaskPlanner;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures, in one run of this program, what Temporal costs the training loop (goal a) and what
 * the experience track costs rollouts (goal b). Not a test: run it by hand as docs/benchmarks.md
 * ("Orchestration overhead and the experience track's cost") shows.
 *
 * <p><b>(a) Iteration time.</b> The same spec (8 task instances x 8 rollouts, 30 turns, guided
 * half after a 1-iteration warm-up, extractor updates and merges off) runs on two sides at once:
 * <ul>
 *   <li><i>orchestrated</i>: the training-run workflow on the embedded Temporal service that
 *       {@code crl train} uses (the dev server when the Temporal CLI is installed, else the
 *       in-process server; {@code -Dbench.temporal=inprocess} forces the latter), one worker host
 *       playing all four roles, driven one iteration at a time by its pause and resume signals;
 *   <li><i>in-process</i>: the workflow's loop as plain method calls on the same activity
 *       implementations, with the workflow's own {@link TaskPlanner} and shard count, so both
 *       sides play the same task instances with the same sampling seeds.
 * </ul>
 * The sides take turns, one iteration each (the first side alternates), and a side starts only
 * when the other is idle, so that the drift in this machine's speed over minutes reaches both
 * alike. Orchestrated iteration time runs from the scheduling of the iteration's first activity
 * to the scheduling of its {@code LogMetrics} activity, so it includes every workflow task and
 * activity dispatch on the way; in-process, from the retrieval's start to the actor update's end.
 * Iteration 0 (model start-up) is excluded. CPU seconds over the same windows are reported too
 * (orchestrated: the process plus its child processes, i.e. the dev server).
 *
 * <p><b>(b) Rollout time with vs without the experience track, same episodes.</b> After each
 * orchestrated run, the rollout phase of its iterations 1..N-1 is replayed on a fresh worker with
 * the run's plans, actor checkpoints and retrieved experience (the same prompts and sampling
 * seeds; the replay checks that every episode takes the same actions as in the run), three times
 * per iteration in rotating order: track idle; track as the workflow runs it (a retrieval for the
 * guided half on the live bank first); track beside (that retrieval plus the distillation of the
 * iteration's episodes running concurrently with the shards, the worst case). Rollout time is the
 * wall time of the phase (retrieval, if any, plus the shards).
 */
public final class OrchestrationBenchmark {
  /**
   * Wall and calling-thread CPU times that the activities measure themselves (printed as {@code
   * w_<metric>} for both sides): if an orchestrated activity's CPU time matches the in-process
   * one while its wall time is longer, other threads had its core. (Rollout shards report theirs
   * as {@code shard} and {@code shard_cpu_s}.)
   */
  static final List<String> WORK_METRICS = List.of("actor_train_seconds", "actor_train_cpu_seconds",
      "actor_save_seconds", "actor_save_cpu_seconds", "bank_distill_seconds", "bank_distill_cpu_seconds");

  private static final String RUN = "bench";

  private OrchestrationBenchmark() {}

  static RunSpec spec(String name, int iterations, String mode) {
    String yaml = """
        name: %s
        seed: 11
        tasks:
          envs:
            - id: minihack-room
          eval:
            episodes: 1
        models:
          extractor:
            warm_start_steps: 20
          embedder:
            dim: 256
        algorithm:
          mode: %s
          actor_lr: 0.001
          extractor_buffer: 1000000
          merge_every: 0
          retrieval_warmup_steps: 1
          minibatches: 4
        budget:
          iterations: %d
          tasks_per_iteration: 8
          max_turns: 30
          max_new_tokens: 1
          checkpoint_every: 1000
          eval_every: 0
        """.formatted(name, mode, iterations);
    return SpecLoading.resolveMixtures(SpecLoading.loader().parse(yaml, name));
  }

  /** One side's measurements over iterations 1..N-1. */
  record Side(String name, List<Double> periods, double cpuSeconds, List<Double> shardSeconds,
      Map<String, Double> notes) {
    double meanPeriod() {
      return mean(periods);
    }

    double cpuPerIteration() {
      return cpuSeconds / periods.size();
    }
  }

  /**
   * Rollout replays of one orchestrated run: per mode, the rollout phase per iteration
   * (retrieval, if any, plus all shards) and the shard times.
   */
  record Replay(Map<String, List<Double>> phase, Map<String, List<Double>> shards, int mismatches) {
    double phase(String mode) {
      return mean(phase.get(mode));
    }

    double shard(String mode) {
      return mean(shards.get(mode));
    }
  }

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    Path root = Files.createTempDirectory("crl-bench-");
    CpuSampler cpu = CpuSampler.start();
    try {
      System.out.printf(Locale.ROOT, "warm-up: in-process loop, 3 iterations%n");
      warmUp(root.resolve("warmup"), spec(RUN, 3, "complementary"));
      List<Side> orchestrated = new ArrayList<>();
      List<Side> inProcess = new ArrayList<>();
      List<Replay> replays = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        Path dir = root.resolve("repeat-" + r);
        RunSpec spec = spec(RUN, iterations, "complementary");
        System.out.printf(Locale.ROOT, "repeat %d: %d iterations, the two sides in turn%n", r, iterations);
        Side[] sides = interleaved(dir, spec, cpu);
        orchestrated.add(report(sides[0]));
        inProcess.add(report(sides[1]));
        Replay replay = replay(dir.resolve("orch"), spec, iterations);
        for (String mode : REPLAY_MODES) {
          System.out.printf(Locale.ROOT, "  replay %-8s rollout phase %.3f s (per iteration: %s), shard %.3f s%n",
              mode, replay.phase(mode), fmt(replay.phase().get(mode)), replay.shard(mode));
        }
        System.out.printf(Locale.ROOT, "  replay episodes differing from the run's: %d%n", replay.mismatches());
        replays.add(replay);
      }
      summary(iterations, orchestrated, inProcess, replays);
    } finally {
      cpu.close();
    }
  }

  private static Side report(Side side) {
    System.out.printf(Locale.ROOT, "  %-13s iteration %.3f s (per iteration: %s), CPU %.2f s/iteration, shard %.3f s %s%n",
        side.name(), side.meanPeriod(), fmt(side.periods()), side.cpuPerIteration(), mean(side.shardSeconds()),
        fmtNotes(side.notes()));
    return side;
  }

  private static void summary(int iterations, List<Side> orch, List<Side> inproc, List<Replay> replays) {
    double o = mean(orch.stream().map(Side::meanPeriod).toList());
    double i = mean(inproc.stream().map(Side::meanPeriod).toList());
    double oc = mean(orch.stream().map(Side::cpuPerIteration).toList());
    double ic = mean(inproc.stream().map(Side::cpuPerIteration).toList());
    double inRun = mean(orch.stream().map(s -> mean(s.shardSeconds())).toList());
    Map<String, Double> phase = new TreeMap<>();
    Map<String, Double> shard = new TreeMap<>();
    for (String mode : REPLAY_MODES) {
      phase.put(mode, mean(replays.stream().map(r -> r.phase(mode)).toList()));
      shard.put(mode, mean(replays.stream().map(r -> r.shard(mode)).toList()));
    }
    System.out.printf(Locale.ROOT, "%nsummary: %d repeat(s) x %d iterations per side (iteration 0 excluded), 8 tasks x 8 rollouts, 30 turns%n",
        orch.size(), iterations - 1);
    System.out.printf(Locale.ROOT, "(a) iteration time, orchestrated          : %.3f s  (CPU %.2f s)%n", o, oc);
    System.out.printf(Locale.ROOT, "(a) iteration time, in-process            : %.3f s  (CPU %.2f s)%n", i, ic);
    System.out.printf(Locale.ROOT, "(a) ratio orchestrated / in-process       : %.3f  (CPU %.3f)%n", o / i, oc / ic);
    List<Double> paired = new ArrayList<>();
    for (int r = 0; r < orch.size(); r++) {
      for (int k = 0; k < orch.get(r).periods().size(); k++) {
        paired.add(orch.get(r).periods().get(k) / inproc.get(r).periods().get(k));
      }
    }
    double m = mean(paired);
    double sd = Math.sqrt(paired.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (paired.size() - 1));
    System.out.printf(Locale.ROOT, "(a) per-iteration ratios (same iteration, back to back): %s%n", fmt(paired));
    System.out.printf(Locale.ROOT, "(a) mean per-iteration ratio              : %.3f +- %.3f (95%% interval, normal approximation, n = %d)%n",
        m, 1.96 * sd / Math.sqrt(paired.size()), paired.size());
    System.out.printf(Locale.ROOT, "(b) rollout shard in the orchestrated run : %.3f s%n", inRun);
    for (String mode : REPLAY_MODES) {
      System.out.printf(Locale.ROOT, "(b) replay, track %-8s: rollout phase %.3f s, shard %.3f s%n", mode, phase.get(mode), shard.get(mode));
    }
    System.out.printf(Locale.ROOT, "(b) ratio rollout phase, track as in the workflow / idle : %.3f%n", phase.get("workflow") / phase.get("idle"));
    System.out.printf(Locale.ROOT, "(b) ratio rollout phase, track beside / idle (worst case): %.3f%n", phase.get("beside") / phase.get("idle"));
    System.out.printf(Locale.ROOT, "(b) ratio shard, track beside / idle                     : %.3f%n", shard.get("beside") / shard.get("idle"));
  }

  /**
   * Runs both loops over the same spec, one iteration of each in turn (the side that goes first
   * alternates with the iteration), so that both meet the same machine: on these shared cores the
   * speed of identical work drifts by tens of percent within minutes, more than the effect being
   * measured. Before a side's iteration starts, the other side is idle (its background
   * distillation and metric logging have finished).
   */
  static Side[] interleaved(Path dir, RunSpec spec, CpuSampler cpu) {
    int iterations = spec.budget().iterations();
    try (OrchestratedLoop orch = new OrchestratedLoop(dir.resolve("orch"), spec);
        InProcessLoop inproc = new InProcessLoop(dir.resolve("inproc"), spec)) {
      List<Double> orchPeriods = new ArrayList<>();
      List<Double> inprocPeriods = new ArrayList<>();
      double orchCpu = 0;
      double inprocCpu = 0;
      Map<String, Double> orchNotes = new TreeMap<>();
      Map<String, Double> inprocNotes = new TreeMap<>();
      for (int it = 0; it < iterations; it++) {
        long[] o;
        long[] i;
        if (it % 2 == 0) {
          o = orch.iteration(it);
          i = inproc.iteration(it);
        } else {
          i = inproc.iteration(it);
          o = orch.iteration(it);
        }
        if (it == 0) {
          continue; // model start-up
        }
        double[] oc = cpu.parts(o[0], o[1]);
        double[] ic = cpu.parts(i[0], i[1]);
        orchPeriods.add((o[1] - o[0]) / 1000.0);
        inprocPeriods.add((i[1] - i[0]) / 1000.0);
        orchCpu += oc[0];
        // The dev server idles while the in-process side runs; its CPU then is not the loop's.
        inprocCpu += ic[0] - ic[1];
        orchNotes.merge("cpu_temporal_server_s", oc[1], Double::sum);
        orchNotes.merge("cpu_temporal_sdk_threads_s", oc[2], Double::sum);
        inprocNotes.merge("cpu_idle_temporal_server_s", ic[1], Double::sum);
      }
      int n = orchPeriods.size();
      orchNotes.replaceAll((k, v) -> v / n);
      inprocNotes.replaceAll((k, v) -> v / n);
      orchNotes.putAll(orch.notes());
      inprocNotes.putAll(inproc.notes());
      inprocNotes.put("shards_differing_from_orchestrated", (double) differingShards(orch.resources, inproc.resources, iterations, spec));
      return new Side[] {
          new Side("orchestrated", orchPeriods, orchCpu, orch.shardSeconds(), orchNotes),
          new Side("in-process", inprocPeriods, inprocCpu, inproc.shardSeconds, inprocNotes)};
    } catch (Exception e) {
      throw new IllegalStateException("interleaved runs failed: " + e.getMessage(), e);
    }
  }

  /**
   * The training-run workflow on the embedded Temporal service, one worker host playing all four
   * roles, driven one iteration at a time with the workflow's own pause and resume signals.
   */
  static final class OrchestratedLoop implements AutoCloseable {
    private final TemporalService temporal;
    final WorkerResources resources;
    private final WorkerHost host;
    private final RunLauncher.RunHandle run;
    private final Path metricsDir;
    private final Map<String, List<Double>> activitySeconds = new TreeMap<>();
    private final List<Double> overheads = new ArrayList<>();
    private final int iterations;
    private final HistoryFollower history;

    OrchestratedLoop(Path dir, RunSpec spec) throws Exception {
      temporal = temporal(dir);
      metricsDir = dir.resolve("metrics");
      resources = WorkerResources.open(spec.backends(), dir.resolve("store"), metricsDir);
      host = WorkerHost.start(temporal, spec.backends().temporal().taskQueuePrefix(), EnumSet.allOf(Role.class), resources);
      iterations = spec.budget().iterations();
      try {
        RunState paused = new RunState(RUN, spec, 0, null, null, null, 0, List.of(), 0, List.of(), true);
        run = new RunLauncher(host.client()).start(RUN, spec, paused);
        history = new HistoryFollower(host.client(), run.stub().getExecution());
        awaitPausedAt(0);
      } catch (RuntimeException e) {
        // The worker host's threads would keep the JVM (and the dev server) alive after main ends.
        close();
        throw e;
      }
    }

    /** Runs iteration {@code it}; returns when the run is paused again and idle. */
    long[] iteration(int it) {
      int before = history.events().size();
      run.stub().signal("resume");
      // A pause sent before the workflow has acted on the resume would cancel it in the same
      // workflow task, so it waits for the iteration's first activity.
      history.awaitUntil(events -> events.subList(before, events.size()).stream()
          .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED || closes(e)));
      if (it + 1 < iterations) {
        run.stub().signal("pause");
        awaitPausedAt(it + 1);
      } else {
        history.awaitUntil(events -> closes(events.get(events.size() - 1)));
      }
      List<HistoryEvent> events = history.events();
      Timeline window = Timeline.of(events.subList(before, events.size()));
      long start = window.spans().get(0)[0];
      long end = window.scheduled("LogMetrics").get(0);
      window.meanRunningSeconds(start, Long.MAX_VALUE)
          .forEach((name, seconds) -> activitySeconds.computeIfAbsent(name, k -> new ArrayList<>()).add(seconds));
      int shard = 0;
      for (int k = 0; k < window.names().size(); k++) {
        long[] span = window.spans().get(k);
        if (window.names().get(k).equals("Rollout") && span[2] >= 0) {
          activitySeconds.computeIfAbsent("Rollout_shard" + shard++, x -> new ArrayList<>()).add((span[2] - span[1]) / 1000.0);
        }
      }
      overheads.add(window.dispatchOverheadPerIteration(List.of(start, end)));
      return new long[] {start, end};
    }

    /**
     * Waits, reading the history as the server pushes it (no polling while a side is measured),
     * until every scheduled activity has completed and no workflow task is pending, and a query
     * then finds the run paused before {@code iteration} (a child workflow, such as the initial
     * evaluation, can leave the run busy while no activity is pending).
     */
    private void awaitPausedAt(int iteration) {
      history.awaitUntil(events -> Timeline.of(events).allCompleted()
          && events.get(events.size() - 1).getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED
          && run.status().filter(s -> "paused".equals(s.phase()) && s.iteration() == iteration).isPresent());
    }

    private static boolean closes(HistoryEvent e) {
      return e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED
          || e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED
          || e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED;
    }

    List<Double> shardSeconds() {
      return values(new LocalMetricsSink(metricsDir).readRun(RUN), "rollout_seconds", 1);
    }

    Map<String, Double> notes() {
      Map<String, Double> notes = new TreeMap<>();
      RunSnapshot recorded = new LocalMetricsSink(metricsDir).readRun(RUN);
      notes.put("shard_cpu_s", mean(values(recorded, "rollout_cpu_seconds", 1)));
      // Iteration 0 (model start-up) is left out; activities seen only there or at the end are too.
      activitySeconds.forEach((name, values) -> {
        if (values.size() > 2) {
          notes.put("s_" + name, mean(values.subList(1, values.size())));
        }
      });
      notes.put("temporal_overhead_s", mean(overheads.subList(1, overheads.size())));
      // The activities' own timers (wall and calling-thread CPU), as the metrics recorded them.
      for (String metric : WORK_METRICS) {
        // A distillation is reported with the iteration that absorbs it, one step later, so its
        // series starts with iteration 0's (model start-up), which is left out like the rest.
        List<Double> values = values(recorded, metric, metric.startsWith("bank_") ? 2 : 1);
        if (!values.isEmpty()) {
          notes.put("w_" + metric, mean(values));
        }
      }
      return notes;
    }

    /** The values a metric recorded from step {@code firstStep} on. */
    private static List<Double> values(RunSnapshot recorded, String metric, int firstStep) {
      return recorded.series(metric).stream().filter(p -> p.step() >= firstStep)
          .map(MetricPoint::value).toList();
    }

    @Override
    public void close() throws Exception {
      try (temporal; resources; host) {
        // Closed in reverse order: the worker host first, the Temporal service last.
      }
    }
  }

  /**
   * The workflow's loop as plain method calls on the same activity implementations: retrieve,
   * roll out the shards one after another (the embedded rollout worker runs one at a time),
   * distil in the background, update the actor (checkpoint written to the store), log the
   * metrics in the background.
   */
  static final class InProcessLoop implements AutoCloseable {
    final WorkerResources resources;
    private final RunSpec spec;
    private final TrainingActivitiesImpl training;
    private final RolloutActivitiesImpl rollouts;
    private final ExperienceActivitiesImpl experience;
    private final TrackingActivitiesImpl tracking;
    // Each role's calls run on a long-lived thread of their own, as in a worker: on the main
    // thread they would use glibc's main malloc arena, which (unlike the arenas of other threads)
    // keeps freed tensor memory mapped, and the comparison would measure that instead of Temporal.
    private final ExecutorService rolloutWorker = Executors.newSingleThreadExecutor();
    private final ExecutorService trainingWorker = Executors.newSingleThreadExecutor();
    private final ExecutorService experienceWorker = Executors.newSingleThreadExecutor();
    private final ExecutorService trackingWorker = Executors.newSingleThreadExecutor();
    private final ActivityClock clock = new ActivityClock();
    private final CheckpointRef extractor;
    private CheckpointRef actor;
    final List<Double> shardSeconds = new ArrayList<>();
    private final List<Double> shardCpuSeconds = new ArrayList<>();
    private final List<Future<?>> background = new ArrayList<>();

    InProcessLoop(Path dir, RunSpec spec) {
      this.spec = spec;
      resources = WorkerResources.open(spec.backends(), dir.resolve("store"), dir.resolve("metrics"));
      training = new TrainingActivitiesImpl(resources);
      rollouts = new RolloutActivitiesImpl(resources);
      experience = new ExperienceActivitiesImpl(resources);
      tracking = new TrackingActivitiesImpl(resources);
      tracking.startTracking(RUN, spec, Map.of());
      RunStart start = training.initializeRun(RUN, spec);
      actor = start.actor();
      extractor = start.extractor();
    }

    /** Runs iteration {@code it} and returns its start and end; then waits for the background. */
    long[] iteration(int it) throws Exception {
      long start = System.currentTimeMillis();
      IterationPlan plan = TaskPlanner.training(RUN, it, spec);
      Map<String, Double> metrics = new TreeMap<>();
      String assignments = null;
      if (plan.guidedPerGroup() > 0) {
        var retrieval = clock.time(it, "Retrieve", () -> experienceWorker.submit(() -> experience.retrieve(plan, false)).get());
        assignments = retrieval.assignmentsKey();
        metrics.put("retrieval_latency_p99_ms", retrieval.latencyP99Ms());
      }
      int shards = RolloutFanOut.shardCount(plan.tasks().size());
      List<String> keys = new ArrayList<>();
      for (int s = 0; s < shards; s++) {
        RolloutRequest request = new RolloutRequest(plan, s, shards, actor, assignments, false);
        long shardStart = System.nanoTime();
        RolloutResult r = clock.time(it, "Rollout", () -> rolloutWorker.submit(() -> rollouts.rollout(request)).get());
        clock.record(it, "Rollout_shard" + s, (System.nanoTime() - shardStart) / 1e9);
        keys.add(r.trajectoriesKey());
        r.stats().forEach((k, v) -> metrics.merge(k, v / shards, Double::sum));
        if (it > 0) {
          shardSeconds.add(r.stats().getOrDefault("rollout_seconds", 0.0));
          shardCpuSeconds.add(r.stats().getOrDefault("rollout_cpu_seconds", 0.0));
        }
      }
      background.add(experienceWorker.submit(() -> {
        var distilled = clock.time(it, "Distill", () -> experience.distill(new DistillRequest(RUN, it, extractor, keys)));
        recordWork(it, "bank_", distilled.stats());
        return distilled;
      }));
      CheckpointRef current = actor;
      var update = clock.time(it, "UpdateActor",
          () -> trainingWorker.submit(() -> training.updateActor(new ActorUpdateRequest(RUN, it, current, keys))).get());
      actor = update.checkpoint();
      update.stats().forEach((k, v) -> metrics.put("actor_" + k, v));
      recordWork(it, "actor_", update.stats());
      long end = System.currentTimeMillis();
      metrics.put("iteration_seconds", (end - start) / 1000.0);
      background.add(trackingWorker.submit(() -> clock.time(it, "LogMetrics", () -> {
        tracking.logMetrics(RUN, it, metrics);
        return null;
      })));
      for (Future<?> f : background) {
        f.get();
      }
      background.clear();
      return new long[] {start, end};
    }

    CheckpointRef actorRef() {
      return actor;
    }

    /** The activity's own timers, under the names the workflow's metrics give them. */
    private void recordWork(int it, String prefix, Map<String, Double> stats) {
      for (String metric : WORK_METRICS) {
        if (metric.startsWith(prefix) && stats.containsKey(metric.substring(prefix.length()))) {
          clock.record(it, "w_" + metric, stats.get(metric.substring(prefix.length())));
        }
      }
    }

    Map<String, Double> notes() {
      Map<String, Double> notes = new TreeMap<>();
      clock.means().forEach((name, seconds) -> notes.put(name.startsWith("w_") ? name : "s_" + name, seconds));
      notes.put("shard_cpu_s", mean(shardCpuSeconds));
      return notes;
    }

    @Override
    public void close() {
      rolloutWorker.shutdownNow();
      trainingWorker.shutdownNow();
      experienceWorker.shutdownNow();
      trackingWorker.shutdownNow();
      resources.close();
    }
  }

  /** Shards (iterations 1..N-1) whose episodes differ between the two sides' stores. */
  private static int differingShards(WorkerResources a, WorkerResources b, int iterations, RunSpec spec) {
    int differing = 0;
    for (int it = 1; it < iterations; it++) {
      int shards = RolloutFanOut.shardCount(TaskPlanner.training(RUN, it, spec).tasks().size());
      for (int s = 0; s < shards; s++) {
        String key = ObjectKeys.run(RUN).shardKey(it, "rollouts", s, "jsonl.gz");
        var x = dev.crl.activities.rollout.TrajectoryCodec.decode(a.objectStore().get(key), key);
        var y = dev.crl.activities.rollout.TrajectoryCodec.decode(b.objectStore().get(key), key);
        if (!sameActions(x, y)) {
          differing++;
        }
      }
    }
    return differing;
  }

  /**
   * A workflow's history as the server appends to it: long polls that return when new events
   * arrive, so waiting costs the server a few calls per iteration rather than a poll every few
   * milliseconds inside the measured window.
   */
  static final class HistoryFollower {
    private final WorkflowClient client;
    private final io.temporal.api.common.v1.WorkflowExecution execution;
    private final List<HistoryEvent> events = new ArrayList<>();
    private com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;

    HistoryFollower(WorkflowClient client, io.temporal.api.common.v1.WorkflowExecution execution) {
      this.client = client;
      this.execution = execution;
    }

    List<HistoryEvent> events() {
      return events;
    }

    void awaitUntil(java.util.function.Predicate<List<HistoryEvent>> condition) {
      long deadline = System.currentTimeMillis() + 600_000;
      while (events.isEmpty() || !condition.test(events)) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("the orchestrated run did not reach the expected state within 10 minutes");
        }
        if (!events.isEmpty() && token.isEmpty()) {
          throw new IllegalStateException("the workflow closed before reaching the expected state: "
              + events.get(events.size() - 1).getEventType());
        }
        var response = client.getWorkflowServiceStubs().blockingStub()
            .withDeadlineAfter(60, java.util.concurrent.TimeUnit.SECONDS)
            .getWorkflowExecutionHistory(io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setExecution(execution)
                .setWaitNewEvent(true)
                .setNextPageToken(token)
                .build());
        events.addAll(response.getHistory().getEventsList());
        token = response.getNextPageToken();
      }
    }
  }

  private static TemporalService temporal(Path dir) throws Exception {
    Files.createDirectories(dir);
    if ("inprocess".equals(System.getProperty("bench.temporal"))) {
      return InProcessTemporal.start();
    }
    Path home = Path.of(System.getProperty("crl.home", System.getProperty("user.dir")));
    TemporalService service = TemporalServices.open(spec(RUN, 1, "grpo").backends().temporal(), dir, home);
    System.out.printf(Locale.ROOT, "  temporal: %s%n", service.describe());
    return service;
  }

  /** The in-process loop alone, to warm the JIT and libtorch before anything is measured. */
  static void warmUp(Path dir, RunSpec spec) {
    try (InProcessLoop loop = new InProcessLoop(dir, spec)) {
      for (int it = 0; it < spec.budget().iterations(); it++) {
        loop.iteration(it);
      }
    } catch (Exception e) {
      throw new IllegalStateException("warm-up failed: " + e.getMessage(), e);
    }
  }

  /**
   * Running time per activity type in the in-process loop, iteration 0 left out like the
   * orchestrated side's, so the two sides' activity times can be compared.
   */
  static final class ActivityClock {
    private final Map<String, List<Double>> seconds = new TreeMap<>();

    <T> T time(int iteration, String name, java.util.concurrent.Callable<T> call) throws Exception {
      long start = System.nanoTime();
      T result = call.call();
      record(iteration, name, (System.nanoTime() - start) / 1e9);
      return result;
    }

    void record(int iteration, String name, double value) {
      if (iteration > 0) {
        synchronized (seconds) {
          seconds.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
      }
    }

    Map<String, Double> means() {
      Map<String, Double> out = new TreeMap<>();
      synchronized (seconds) {
        seconds.forEach((name, values) -> out.put(name, mean(values)));
      }
      return out;
    }
  }

  /**
   * Replays the rollout phase of iterations 1..N-1 of the orchestrated run in {@code dir} on a
   * fresh worker (its own run ids, so nothing is found already stored): the same plans, actor
   * checkpoints and retrieved experience, hence the same prompts, seeds and episodes. Each
   * iteration is played three times, in an order that rotates with the iteration: with the
   * track idle; with the track as the workflow runs it (a retrieval for the guided half on the
   * live bank first); and with the track forced beside the shards (that retrieval, plus the
   * distillation of the iteration's episodes running concurrently).
   */
  static Replay replay(Path dir, RunSpec spec, int iterations) {
    Map<String, List<Double>> phase = new TreeMap<>();
    Map<String, List<Double>> shardTimes = new TreeMap<>();
    int mismatches = 0;
    ExecutorService background = Executors.newSingleThreadExecutor();
    try (WorkerResources resources = WorkerResources.open(spec.backends(), dir.resolve("store"), dir.resolve("replay-metrics"))) {
      RolloutActivitiesImpl rollouts = new RolloutActivitiesImpl(resources);
      ExperienceActivitiesImpl experience = new ExperienceActivitiesImpl(resources);
      RunContext original = resources.run(RUN);
      CheckpointRef extractor = original.checkpoints().latest(RUN, RunContext.EXTRACTOR).orElseThrow();
      for (String mode : REPLAY_MODES) {
        resources.storeSpec(RUN + "-" + mode, spec);
      }
      for (int it = 1; it < iterations; it++) {
        CheckpointRef actor = original.checkpoints().existing(RUN, RunContext.ACTOR, it).orElseThrow();
        IterationPlan recorded = TaskPlanner.training(RUN, it, spec);
        String assignments = recorded.guidedPerGroup() > 0
            ? ObjectKeys.run(RUN).iterationPrefix(it) + "assignments.json" : null;
        int shards = RolloutFanOut.shardCount(recorded.tasks().size());
        List<String> recordedKeys = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
          recordedKeys.add(ObjectKeys.run(RUN).shardKey(it, "rollouts", s, "jsonl.gz"));
        }
        for (int pass = 0; pass < REPLAY_MODES.size(); pass++) {
          String mode = REPLAY_MODES.get((pass + it) % REPLAY_MODES.size());
          String runId = RUN + "-" + mode;
          IterationPlan plan = new IterationPlan(runId, it, recorded.tasks(), recorded.groupSize(), recorded.guidedPerGroup());
          resources.run(runId).inference().preload(actor);
          long start = System.nanoTime();
          Future<?> track = null;
          if (!mode.equals("idle")) {
            experience.retrieve(plan, false);
          }
          if (mode.equals("beside")) {
            int iteration = it;
            track = background.submit(() -> experience.distill(new DistillRequest(runId, iteration, extractor, recordedKeys)));
          }
          for (int s = 0; s < shards; s++) {
            RolloutResult r = rollouts.rollout(new RolloutRequest(plan, s, shards, actor, assignments, false));
            shardTimes.computeIfAbsent(mode, k -> new ArrayList<>()).add(r.stats().get("rollout_seconds"));
            if (!sameEpisodes(resources, recordedKeys.get(s), r.trajectoriesKey())) {
              mismatches++;
            }
          }
          phase.computeIfAbsent(mode, k -> new ArrayList<>()).add((System.nanoTime() - start) / 1e9);
          if (track != null) {
            track.get();
          }
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("replay failed: " + e.getMessage(), e);
    } finally {
      background.shutdownNow();
    }
    return new Replay(phase, shardTimes, mismatches);
  }

  static final List<String> REPLAY_MODES = List.of("idle", "workflow", "beside");

  /** Whether two stored shards hold the same episodes (same actions turn by turn). */
  private static boolean sameEpisodes(WorkerResources resources, String a, String b) {
    return sameActions(dev.crl.activities.rollout.TrajectoryCodec.decode(resources.objectStore().get(a), a),
        dev.crl.activities.rollout.TrajectoryCodec.decode(resources.objectStore().get(b), b));
  }

  private static boolean sameActions(List<dev.crl.activities.rollout.Trajectory> x, List<dev.crl.activities.rollout.Trajectory> y) {
    if (x.size() != y.size()) {
      return false;
    }
    for (int i = 0; i < x.size(); i++) {
      List<String> ax = x.get(i).turns().stream().map(t -> t.action()).toList();
      List<String> ay = y.get(i).turns().stream().map(t -> t.action()).toList();
      if (!ax.equals(ay)) {
        return false;
      }
    }
    return true;
  }

  /** Activity times from a workflow's history. */
  record Timeline(List<String> names, List<long[]> spans) {
    /** spans: {scheduled, started, completed} per activity, in scheduling order. */
    /** The activities scheduled in {@code events} (a whole history or a slice of one). */
    static Timeline of(List<HistoryEvent> events) {
      Map<Long, Integer> bySchedule = new HashMap<>();
      List<String> names = new ArrayList<>();
      List<long[]> spans = new ArrayList<>();
      for (HistoryEvent e : events) {
        long t = e.getEventTime().getSeconds() * 1000 + e.getEventTime().getNanos() / 1_000_000;
        if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
          bySchedule.put(e.getEventId(), names.size());
          names.add(e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
          spans.add(new long[] {t, -1, -1});
        } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
          Integer k = bySchedule.get(e.getActivityTaskStartedEventAttributes().getScheduledEventId());
          if (k != null) {
            spans.get(k)[1] = t;
          }
        } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
          Integer k = bySchedule.get(e.getActivityTaskCompletedEventAttributes().getScheduledEventId());
          if (k != null) {
            spans.get(k)[2] = t;
          }
        }
      }
      return new Timeline(names, spans);
    }

    /** Mean running time (start to completion), in seconds, per activity type started in a window. */
    Map<String, Double> meanRunningSeconds(long from, long to) {
      Map<String, List<Double>> byName = new TreeMap<>();
      for (int i = 0; i < names.size(); i++) {
        long[] s = spans.get(i);
        if (s[1] >= from && s[1] < to && s[2] >= 0) {
          byName.computeIfAbsent(names.get(i), k -> new ArrayList<>()).add((s[2] - s[1]) / 1000.0);
        }
      }
      Map<String, Double> out = new TreeMap<>();
      byName.forEach((name, values) -> out.put(name, mean(values)));
      return out;
    }

    /** Whether every scheduled activity has completed (the run is idle). */
    boolean allCompleted() {
      return spans.stream().allMatch(s -> s[2] >= 0);
    }

    List<Long> scheduled(String name) {
      List<Long> out = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equals(name)) {
          out.add(spans.get(i)[0]);
        }
      }
      return out;
    }

    /**
     * Seconds per iteration of the primary loop not spent inside an activity: the window minus
     * the union of the primary activities' running time (background distillations and logging
     * excluded, since they overlap the loop).
     */
    double dispatchOverheadPerIteration(List<Long> ends) {
      long from = ends.get(0);
      long to = ends.get(ends.size() - 1);
      List<long[]> busy = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        String n = names.get(i);
        long[] s = spans.get(i);
        if ((n.equals("Retrieve") || n.equals("Rollout") || n.equals("UpdateActor")) && s[1] >= from && s[2] <= to) {
          busy.add(new long[] {s[1], s[2]});
        }
      }
      return (to - from - union(busy)) / 1000.0 / (ends.size() - 1);
    }

    private static long union(List<long[]> intervals) {
      intervals.sort((x, y) -> Long.compare(x[0], y[0]));
      long sum = 0;
      long curA = -1;
      long curB = -1;
      for (long[] iv : intervals) {
        if (iv[0] > curB) {
          sum += curB - curA;
          curA = iv[0];
          curB = iv[1];
        } else {
          curB = Math.max(curB, iv[1]);
        }
      }
      return sum + (curB - curA);
    }
  }

  /**
   * Samples CPU time every 50 ms: the whole process plus its child processes (the Temporal dev
   * server), and separately the children and this JVM's Temporal client threads (gRPC, pollers,
   * workflow threads), which together are what orchestration adds.
   */
  static final class CpuSampler implements AutoCloseable {
    static final String[] PARTS = {"total", "temporal_server", "temporal_sdk_threads"};
    private final List<long[]> samples = new ArrayList<>();
    private final Thread thread;
    private final java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private volatile boolean running = true;

    private CpuSampler() {
      thread = new Thread(() -> {
        while (running) {
          long children = childrenNanos();
          long[] sample = {System.currentTimeMillis(), ownNanos() + children, children, sdkThreadNanos()};
          synchronized (samples) {
            samples.add(sample);
          }
          try {
            Thread.sleep(50);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "cpu-sampler");
      thread.setDaemon(true);
    }

    static CpuSampler start() {
      CpuSampler s = new CpuSampler();
      s.thread.start();
      return s;
    }

    private static long ownNanos() {
      return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long childrenNanos() {
      return ProcessHandle.current().descendants()
          .mapToLong(p -> p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L)).sum();
    }

    /** CPU of the threads the Temporal SDK and its gRPC channel own (not the activity executors). */
    private long sdkThreadNanos() {
      long sum = 0;
      for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (info == null) {
          continue;
        }
        String n = info.getThreadName();
        if (n.startsWith("grpc-") || n.contains("Poller") || n.startsWith("Workflow Executor")
            || n.startsWith("workflow-") || n.startsWith("worker-heartbeat") || n.startsWith("Temporal")) {
          long t = threads.getThreadCpuTime(info.getThreadId());
          sum += Math.max(0, t);
        }
      }
      return sum;
    }

    /** CPU seconds between two wall-clock times (nearest samples): total, server, SDK threads. */
    double[] parts(long fromMillis, long toMillis) {
      synchronized (samples) {
        long[] a = at(fromMillis);
        long[] b = at(toMillis);
        return new double[] {(b[1] - a[1]) / 1e9, (b[2] - a[2]) / 1e9, (b[3] - a[3]) / 1e9};
      }
    }

    double between(long fromMillis, long toMillis) {
      return parts(fromMillis, toMillis)[0];
    }

    private long[] at(long millis) {
      long[] best = samples.get(0);
      for (long[] s : samples) {
        if (Math.abs(s[0] - millis) < Math.abs(best[0] - millis)) {
          best = s;
        }
      }
      return best;
    }

    @Override
    public void close() {
      running = false;
      thread.interrupt();
    }
  }

  private static String fmtNotes(Map<String, Double> notes) {
    StringBuilder b = new StringBuilder();
    notes.forEach((k, v) -> b.append(String.format(Locale.ROOT, " %s=%.3f", k, v)));
    return b.toString();
  }

  private static String fmt(List<Double> values) {
    return values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).reduce((a, b) -> a + " " + b).orElse("");
  }

  static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
