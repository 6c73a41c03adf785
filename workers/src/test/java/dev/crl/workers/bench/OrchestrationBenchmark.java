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
import dev.crl.api.spec.RunSpec;
import dev.crl.stores.LocalMetricsSink;
import dev.crl.stores.MetricPoint;
import dev.crl.stores.ObjectKeys;
import dev.crl.workers.cli.SpecLoading;
import dev.crl.workers.runtime.InProcessTemporal;
import dev.crl.workers.runtime.RunLauncher;
import dev.crl.workers.runtime.TemporalService;
import dev.crl.workers.runtime.TemporalServices;
import dev.crl.workers.runtime.WorkerHost;
import dev.crl.workflows.RolloutFanOut;
import dev.crl.workflows.TaskPlanner;
import dev.crl.workflows.WorkflowIds;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Measures, in one run of this program, what Temporal costs the training loop (goal a) and what
 * the experience track costs rollouts (goal b). Not a test: run it by hand as docs/benchmarks.md
 * ("Orchestration overhead and the experience track's cost") shows.
 *
 * <p><b>(a) Iteration time.</b> The same spec (8 task instances x 8 rollouts, 30 turns, guided
 * half after a 1-iteration warm-up, extractor updates and merges off) runs twice per repeat:
 * <ul>
 *   <li><i>orchestrated</i>: the training-run workflow on the embedded Temporal service that
 *       {@code crl train} uses (the dev server when the Temporal CLI is installed, else the
 *       in-process server; {@code -Dbench.temporal=inprocess} forces the latter), one worker host
 *       playing all four roles;
 *   <li><i>in-process</i>: the workflow's loop as plain method calls on the same activity
 *       implementations, with the workflow's own {@link TaskPlanner} and shard count, so both
 *       sides play the same task instances with the same sampling seeds: retrieve, roll out the
 *       shards one after another (the embedded rollout worker runs one at a time), distil in the
 *       background (at most two outstanding, like the workflow), update the actor (checkpoint
 *       written to the store), log the metrics in the background.
 * </ul>
 * Iteration time is the period between the ends of consecutive iterations (orchestrated: the
 * scheduling times of consecutive {@code LogMetrics} activities in the workflow's history), so it
 * includes every workflow task and activity dispatch; iteration 0 (model start-up) is excluded.
 * CPU seconds of the process (plus its child processes, i.e. the dev server) over the same window
 * are reported too: on shared cores they vary less than wall time. Repeats alternate the order
 * (orchestrated first, then in-process first) after a short warm-up loop, so JIT warm-up and load
 * drift do not favour one side.
 *
 * <p><b>(b) Rollout time with vs without the experience track, same episodes.</b> After each
 * orchestrated run, the rollout phase of its iterations 1..N-1 is replayed on a fresh worker with
 * the run's plans, actor checkpoints and retrieved experience (the same prompts and sampling
 * seeds; the replay checks that every episode takes the same actions as in the run), three times
 * per iteration in rotating order: track idle; track as the workflow runs it (a retrieval for the
 * guided half on the live bank first); track beside (that retrieval plus the distillation of the
 * iteration's episodes running concurrently with the shards, the worst case). Rollout time is the
 * wall time of the phase (retrieval, if any, plus the shards). The benchmark also reports how much
 * of the orchestrated runs' rollout time a distillation was running (from the history).
 */
public final class OrchestrationBenchmark {
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
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path root = Files.createTempDirectory("crl-bench-");
    CpuSampler cpu = CpuSampler.start();
    try {
      System.out.printf(Locale.ROOT, "warm-up: in-process loop, 3 iterations%n");
      inProcess(root.resolve("warmup"), spec(RUN, 3, "complementary"), cpu);
      List<Side> orchestrated = new ArrayList<>();
      List<Side> inProcess = new ArrayList<>();
      List<Replay> replays = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        Path dir = root.resolve("repeat-" + r);
        RunSpec spec = spec(RUN, iterations, "complementary");
        Supplier<Side> orch = () -> orchestrated(dir.resolve("orch"), spec, cpu);
        Supplier<Side> inproc = () -> inProcess(dir.resolve("inproc"), spec, cpu);
        if (r % 2 == 0) {
          orchestrated.add(report(orch.get()));
          inProcess.add(report(inproc.get()));
        } else {
          inProcess.add(report(inproc.get()));
          orchestrated.add(report(orch.get()));
        }
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
    System.out.printf(Locale.ROOT, "%nsummary: %d repeats x %d iterations (iteration 0 excluded), 8 tasks x 8 rollouts, 30 turns%n",
        orch.size(), iterations - 1);
    System.out.printf(Locale.ROOT, "(a) iteration time, orchestrated          : %.3f s  (CPU %.2f s)%n", o, oc);
    System.out.printf(Locale.ROOT, "(a) iteration time, in-process            : %.3f s  (CPU %.2f s)%n", i, ic);
    System.out.printf(Locale.ROOT, "(a) ratio orchestrated / in-process       : %.3f  (CPU %.3f)%n", o / i, oc / ic);
    System.out.printf(Locale.ROOT, "(b) rollout shard in the orchestrated run : %.3f s (distillation overlapping rollouts: %.0f%%)%n",
        inRun, 100 * mean(orch.stream().map(s -> s.notes().get("distill_overlap_with_rollouts")).toList()));
    for (String mode : REPLAY_MODES) {
      System.out.printf(Locale.ROOT, "(b) replay, track %-8s: rollout phase %.3f s, shard %.3f s%n", mode, phase.get(mode), shard.get(mode));
    }
    System.out.printf(Locale.ROOT, "(b) ratio rollout phase, track as in the workflow / idle : %.3f%n", phase.get("workflow") / phase.get("idle"));
    System.out.printf(Locale.ROOT, "(b) ratio rollout phase, track beside / idle (worst case): %.3f%n", phase.get("beside") / phase.get("idle"));
    System.out.printf(Locale.ROOT, "(b) ratio shard, track beside / idle                     : %.3f%n", shard.get("beside") / shard.get("idle"));
  }

  /** The run orchestrated by the training-run workflow. */
  static Side orchestrated(Path dir, RunSpec spec, CpuSampler cpu) {
    try (TemporalService temporal = temporal(dir);
        WorkerResources resources = WorkerResources.open(spec.backends(), dir.resolve("store"), dir.resolve("metrics"));
        WorkerHost host = WorkerHost.start(temporal, spec.backends().temporal().taskQueuePrefix(),
            EnumSet.allOf(Role.class), resources)) {
      new RunLauncher(host.client()).start(RUN, spec).result();
      Timeline timeline = Timeline.of(host.client(), WorkflowIds.run(RUN));
      List<Long> ends = timeline.scheduled("LogMetrics");
      List<Double> periods = new ArrayList<>();
      for (int k = 1; k < ends.size(); k++) {
        periods.add((ends.get(k) - ends.get(k - 1)) / 1000.0);
      }
      double[] cpuParts = cpu.parts(ends.get(0), ends.get(ends.size() - 1));
      double cpuSeconds = cpuParts[0];
      List<Double> shards = new LocalMetricsSink(dir.resolve("metrics")).readRun(RUN).series("rollout_seconds")
          .stream().filter(p -> p.step() > 0).map(MetricPoint::value).toList();
      Map<String, Double> notes = new TreeMap<>();
      notes.put("temporal_overhead_s", timeline.dispatchOverheadPerIteration(ends));
      notes.put("cpu_temporal_server_s", cpuParts[1] / (ends.size() - 1));
      notes.put("cpu_temporal_sdk_threads_s", cpuParts[2] / (ends.size() - 1));
      notes.put("distill_overlap_with_rollouts", timeline.overlap("Distill", "Rollout", ends.get(0)));
      return new Side("orchestrated", periods, cpuSeconds, shards, notes);
    } catch (Exception e) {
      throw new IllegalStateException("orchestrated run failed: " + e.getMessage(), e);
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

  /** The workflow's loop as plain method calls on the activity implementations. */
  static Side inProcess(Path dir, RunSpec spec, CpuSampler cpu) {
    int iterations = spec.budget().iterations();
    List<Long> ends = new ArrayList<>();
    List<Double> shardSeconds = new ArrayList<>();
    ExecutorService experienceWorker = Executors.newFixedThreadPool(2);
    ExecutorService trackingWorker = Executors.newSingleThreadExecutor();
    try (WorkerResources resources = WorkerResources.open(spec.backends(), dir.resolve("store"), dir.resolve("metrics"))) {
      TrainingActivitiesImpl training = new TrainingActivitiesImpl(resources);
      RolloutActivitiesImpl rollouts = new RolloutActivitiesImpl(resources);
      ExperienceActivitiesImpl experience = new ExperienceActivitiesImpl(resources);
      TrackingActivitiesImpl tracking = new TrackingActivitiesImpl(resources);
      tracking.startTracking(RUN, spec, Map.of());
      RunStart start = training.initializeRun(RUN, spec);
      CheckpointRef actor = start.actor();
      Deque<Future<?>> distills = new ArrayDeque<>();
      Future<?> logged = null;
      long iterationStart = System.currentTimeMillis();
      for (int it = 0; it < iterations; it++) {
        IterationPlan plan = TaskPlanner.training(RUN, it, spec);
        Map<String, Double> metrics = new TreeMap<>();
        String assignments = null;
        if (plan.guidedPerGroup() > 0) {
          var retrieval = experience.retrieve(plan, false);
          assignments = retrieval.assignmentsKey();
          metrics.put("retrieval_latency_p99_ms", retrieval.latencyP99Ms());
        }
        int shards = RolloutFanOut.shardCount(plan.tasks().size());
        List<String> keys = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
          RolloutResult r = rollouts.rollout(new RolloutRequest(plan, s, shards, actor, assignments, false));
          keys.add(r.trajectoriesKey());
          r.stats().forEach((k, v) -> metrics.merge(k, v / shards, Double::sum));
          if (it > 0) {
            shardSeconds.add(r.stats().getOrDefault("rollout_seconds", 0.0));
          }
        }
        while (distills.size() >= 2) {
          distills.removeFirst().get();
        }
        int iteration = it;
        CheckpointRef extractor = start.extractor();
        distills.addLast(experienceWorker.submit(() -> experience.distill(new DistillRequest(RUN, iteration, extractor, keys))));
        var update = training.updateActor(new ActorUpdateRequest(RUN, it, actor, keys));
        actor = update.checkpoint();
        update.stats().forEach((k, v) -> metrics.put("actor_" + k, v));
        long now = System.currentTimeMillis();
        metrics.put("iteration_seconds", (now - iterationStart) / 1000.0);
        iterationStart = now;
        ends.add(now);
        if (logged != null) {
          logged.get();
        }
        logged = trackingWorker.submit(() -> tracking.logMetrics(RUN, iteration, metrics));
      }
      for (Future<?> f : distills) {
        f.get();
      }
      if (logged != null) {
        logged.get();
      }
    } catch (Exception e) {
      throw new IllegalStateException("in-process loop failed: " + e.getMessage(), e);
    } finally {
      experienceWorker.shutdownNow();
      trackingWorker.shutdownNow();
    }
    List<Double> periods = new ArrayList<>();
    for (int k = 1; k < ends.size(); k++) {
      periods.add((ends.get(k) - ends.get(k - 1)) / 1000.0);
    }
    return new Side("in-process", periods, cpu.between(ends.get(0), ends.get(ends.size() - 1)), shardSeconds, Map.of());
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
    var x = dev.crl.activities.rollout.TrajectoryCodec.decode(resources.objectStore().get(a), a);
    var y = dev.crl.activities.rollout.TrajectoryCodec.decode(resources.objectStore().get(b), b);
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
    static Timeline of(WorkflowClient client, String workflowId) {
      Map<Long, Integer> bySchedule = new HashMap<>();
      List<String> names = new ArrayList<>();
      List<long[]> spans = new ArrayList<>();
      for (HistoryEvent e : client.fetchHistory(workflowId).getEvents()) {
        long t = e.getEventTime().getSeconds() * 1000 + e.getEventTime().getNanos() / 1_000_000;
        if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
          bySchedule.put(e.getEventId(), names.size());
          names.add(e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
          spans.add(new long[] {t, -1, -1});
        } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
          spans.get(bySchedule.get(e.getActivityTaskStartedEventAttributes().getScheduledEventId()))[1] = t;
        } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
          spans.get(bySchedule.get(e.getActivityTaskCompletedEventAttributes().getScheduledEventId()))[2] = t;
        }
      }
      return new Timeline(names, spans);
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

    /** Fraction of the running time of {@code inner} activities during which an {@code outer} one ran. */
    double overlap(String outer, String inner, long from) {
      List<long[]> outers = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).equals(outer) && spans.get(i)[1] >= 0) {
          outers.add(new long[] {spans.get(i)[1], spans.get(i)[2]});
        }
      }
      long total = 0;
      long covered = 0;
      for (int i = 0; i < names.size(); i++) {
        long[] s = spans.get(i);
        if (!names.get(i).equals(inner) || s[1] < from) {
          continue;
        }
        total += s[2] - s[1];
        List<long[]> parts = new ArrayList<>();
        for (long[] o : outers) {
          long a = Math.max(o[0], s[1]);
          long b = Math.min(o[1], s[2]);
          if (b > a) {
            parts.add(new long[] {a, b});
          }
        }
        covered += union(parts);
      }
      return total == 0 ? 0 : (double) covered / total;
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
