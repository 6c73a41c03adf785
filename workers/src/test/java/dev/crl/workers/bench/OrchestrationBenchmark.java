package dev.crl.workers.bench;

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
import dev.crl.api.payload.TaskInstance;
import dev.crl.api.spec.RunSpec;
import dev.crl.stores.LocalMetricsSink;
import dev.crl.stores.MetricPoint;
import dev.crl.stores.RunSnapshot;
import dev.crl.workers.cli.SpecLoading;
import dev.crl.workers.runtime.InProcessTemporal;
import dev.crl.workers.runtime.RunLauncher;
import dev.crl.workers.runtime.WorkerHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures what Temporal costs the training loop and what the experience track costs rollouts.
 * Rollout time is the mean seconds of one rollout shard, as the workflow logs it.
 *
 * <ol>
 *   <li>The loop orchestrated by the training-run workflow on Temporal's in-process server.
 *   <li>The same steps called in-process on the same activity implementations, distillation in
 *       a background thread as the workflow does (retrieve, roll out, distil, update the actor,
 *       log), with no Temporal at all.
 *   <li>The orchestrated loop in {@code grpo} mode: no retrieval, no distillation.
 * </ol>
 *
 * Extractor updates and merges are switched off in all three so the loops do the same work.
 * Iteration 0 (model start-up) is left out of the means. Not a test: run it by hand as
 * docs/benchmarks.md ("Orchestration overhead") shows, and put the printed numbers there.
 */
public final class OrchestrationBenchmark {
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

  public static void main(String[] args) throws Exception {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    Path root = Files.createTempDirectory("crl-bench-");
    double[] orchestrated = orchestrated(root.resolve("orch"), spec("bench-orch", iterations, "complementary"));
    double[] inProcess = inProcess(root.resolve("inproc"), spec("bench-inproc", iterations, "complementary"), iterations);
    double[] noExperience = orchestrated(root.resolve("grpo"), spec("bench-grpo", iterations, "grpo"));
    System.out.printf(Locale.ROOT, "iterations measured: %d (iteration 0 excluded), 8 tasks x 8 rollouts, 30 turns%n", iterations - 1);
    System.out.printf(Locale.ROOT, "iteration time, orchestrated (Temporal)   : %.2f s%n", orchestrated[0]);
    System.out.printf(Locale.ROOT, "iteration time, in-process (no Temporal)  : %.2f s%n", inProcess[0]);
    System.out.printf(Locale.ROOT, "ratio orchestrated / in-process           : %.3f%n", orchestrated[0] / inProcess[0]);
    System.out.printf(Locale.ROOT, "rollout time, with experience track       : %.2f s%n", orchestrated[1]);
    System.out.printf(Locale.ROOT, "rollout time, without (mode grpo)         : %.2f s%n", noExperience[1]);
    System.out.printf(Locale.ROOT, "ratio with / without                      : %.3f%n", orchestrated[1] / noExperience[1]);
  }

  /** Mean iteration seconds and mean rollout seconds of a workflow-orchestrated run. */
  static double[] orchestrated(Path dir, RunSpec spec) throws Exception {
    String runId = spec.name();
    try (InProcessTemporal temporal = InProcessTemporal.start();
        WorkerResources resources = WorkerResources.open(spec.backends(), dir.resolve("store"), dir.resolve("metrics"));
        WorkerHost host = WorkerHost.start(temporal, "crl", EnumSet.allOf(Role.class), resources)) {
      new RunLauncher(host.client()).start(runId, spec).result();
    }
    RunSnapshot run = new LocalMetricsSink(dir.resolve("metrics")).readRun(runId);
    return new double[] {meanAfterFirst(run.series("iteration_seconds")), meanAfterFirst(run.series("rollout_seconds"))};
  }

  /** The same loop as plain method calls on the activity implementations. */
  static double[] inProcess(Path dir, RunSpec spec, int iterations) throws Exception {
    String runId = spec.name();
    List<Double> iterationSeconds = new ArrayList<>();
    List<Double> rolloutSeconds = new ArrayList<>();
    ExecutorService background = Executors.newSingleThreadExecutor();
    try (WorkerResources resources = WorkerResources.open(spec.backends(), dir.resolve("store"), dir.resolve("metrics"))) {
      TrainingActivitiesImpl training = new TrainingActivitiesImpl(resources);
      RolloutActivitiesImpl rollouts = new RolloutActivitiesImpl(resources);
      ExperienceActivitiesImpl experience = new ExperienceActivitiesImpl(resources);
      TrackingActivitiesImpl tracking = new TrackingActivitiesImpl(resources);
      tracking.startTracking(runId, spec, Map.of());
      RunStart start = training.initializeRun(runId, spec);
      CheckpointRef actor = start.actor();
      Future<?> distilling = null;
      for (int it = 0; it < iterations; it++) {
        long t0 = System.nanoTime();
        IterationPlan plan = plan(spec, runId, it);
        String assignments = plan.guidedPerGroup() > 0 ? experience.retrieve(plan, false).assignmentsKey() : null;
        List<String> keys = new ArrayList<>();
        double rollout = 0;
        int shards = Math.max(1, Math.min(8, (plan.tasks().size() + 3) / 4));
        for (int s = 0; s < shards; s++) {
          RolloutResult r = rollouts.rollout(new RolloutRequest(plan, s, shards, actor, assignments, false));
          keys.add(r.trajectoriesKey());
          rollout += r.stats().getOrDefault("rollout_seconds", 0.0) / shards;
        }
        if (distilling != null) {
          distilling.get();
        }
        int iteration = it;
        distilling = background.submit(() -> experience.distill(new DistillRequest(runId, iteration, start.extractor(), keys)));
        actor = training.updateActor(new ActorUpdateRequest(runId, it, actor, keys)).checkpoint();
        double seconds = (System.nanoTime() - t0) / 1e9;
        tracking.logMetrics(runId, it, Map.of("iteration_seconds", seconds, "rollout_seconds", rollout));
        iterationSeconds.add(seconds);
        rolloutSeconds.add(rollout);
      }
      if (distilling != null) {
        distilling.get();
      }
    } finally {
      background.shutdownNow();
    }
    return new double[] {mean(iterationSeconds.subList(1, iterationSeconds.size())),
        mean(rolloutSeconds.subList(1, rolloutSeconds.size()))};
  }

  private static IterationPlan plan(RunSpec spec, String runId, int iteration) {
    SplittableRandom random = new SplittableRandom(spec.seed() * 31 + iteration);
    List<TaskInstance> tasks = new ArrayList<>();
    for (int i = 0; i < spec.budget().tasksPerIteration(); i++) {
      tasks.add(new TaskInstance("minihack-room", random.nextLong(spec.tasks().eval().seedOffset())));
    }
    int guided = iteration >= spec.algorithm().retrievalWarmupSteps() ? spec.algorithm().groupSize() / 2 : 0;
    return new IterationPlan(runId, iteration, tasks, spec.algorithm().groupSize(), guided);
  }

  private static double meanAfterFirst(List<MetricPoint> points) {
    return mean(points.stream().filter(p -> p.step() > 0).map(MetricPoint::value).toList());
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
