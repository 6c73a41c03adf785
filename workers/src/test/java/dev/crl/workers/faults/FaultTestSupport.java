package dev.crl.workers.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crl.api.payload.RunStatus;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.RunSpec;
import dev.crl.stores.LocalMetricsSink;
import dev.crl.stores.MetricPoint;
import dev.crl.stores.ObjectKeys;
import dev.crl.stores.ObjectStore;
import dev.crl.workers.cli.SpecLoading;
import dev.crl.workers.runtime.DevServerTemporal;
import dev.crl.workers.runtime.ProjectHome;
import dev.crl.workers.runtime.RunLauncher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.LongStream;

/**
 * Shared pieces of the fault-tolerance tests (and of the CLI control tests, which need a run to
 * control): a short run spec and waiting helpers.
 */
public final class FaultTestSupport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FaultTestSupport() {}

  /** Episodes a short run plays per iteration: tasks_per_iteration times group_size. */
  static final int EPISODES_PER_ITERATION = 2 * 4;

  /** A run of {@code iterations} short iterations on minihack-room with tiny models. */
  public static RunSpec shortRun(String name, int iterations) {
    return shortRun(name, iterations, "");
  }

  /**
   * The same short run with more top-level YAML sections: {@code backends:} for runs that use
   * real S3 or MLflow servers, {@code curriculum:} for a curriculum.
   */
  public static RunSpec shortRun(String name, int iterations, String extraYaml) {
    String yaml = """
        name: %s
        seed: 5
        tasks:
          envs:
            - id: minihack-room
          eval:
            episodes: 2
        models:
          extractor:
            warm_start_steps: 2
          embedder:
            dim: 32
        algorithm:
          group_size: 4
          actor_lr: 0.001
          extractor_lr: 0.001
          extractor_buffer: 2
          retrieval_warmup_steps: 1
          merge_every: 2
          minibatches: 2
        budget:
          iterations: %d
          tasks_per_iteration: 2
          max_turns: 5
          max_new_tokens: 1
          checkpoint_every: 1
          eval_every: 0
        """.formatted(name, iterations) + extraYaml;
    return SpecLoading.resolveMixtures(SpecLoading.loader().parse(yaml, name));
  }

  /** Polls the run's status until {@code condition} holds. */
  public static RunStatus awaitStatus(RunLauncher.RunHandle run, Predicate<RunStatus> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<RunStatus> s = run.status();
      if (s.isPresent() && condition.test(s.get())) {
        return s.get();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the run did not reach the awaited state within " + timeout);
  }

  /**
   * The run's summary once it ends; a run that does not end within {@code timeout} fails the test
   * instead of hanging the suite (e.g. an activity retried forever on a broken worker).
   */
  public static RunSummary awaitResult(RunLauncher.RunHandle run, Duration timeout) throws Exception {
    try {
      return run.stub().getResult(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS, RunSummary.class);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the run did not end within " + timeout + "; last status: " + run.status(), e);
    }
  }

  /** Asserts that each iteration's metric was logged exactly once, none lost, none duplicated. */
  static void assertEveryIterationLoggedOnce(Path metricsRoot, String runId, int iterations) {
    List<MetricPoint> points = new LocalMetricsSink(metricsRoot).readRun(runId).series("success_free");
    assertEquals(LongStream.range(0, iterations).boxed().toList(),
        points.stream().map(MetricPoint::step).toList(), "one point per iteration: none lost, none duplicated");
  }

  /** The {@code backends:} section of a run whose metrics go to the MLflow server at {@code trackingUri}. */
  static String mlflowBackend(String trackingUri) {
    return """
        backends:
          metrics:
            kind: mlflow
            tracking_uri: %s
            experiment: %s
        """.formatted(trackingUri, MLFLOW_EXPERIMENT);
  }

  static final String MLFLOW_EXPERIMENT = "crl-faults";

  /**
   * Asserts that MLflow holds every iteration's metrics exactly once: for each metric, one point
   * per step at which the run logged it, none lost, none duplicated, with the logged value. What
   * the run logged is read from the per-step copies the tracking activity keeps in the object
   * store ({@code runs/<run>/metrics/step-N.json}); evaluation metrics are logged at the
   * iterations of the run's evaluations.
   */
  static void assertMlflowHasEveryIterationOnce(MlflowRunHistory mlflow, ObjectStore store, RunSummary summary)
      throws Exception {
    assertEquals("FINISHED", mlflow.status(), "the MLflow run ends FINISHED");
    int iterations = summary.iterations();
    assertEquals(LongStream.range(0, iterations).boxed().toList(), mlflow.steps("success_free"),
        "success_free: one point per iteration, none lost, none duplicated");
    Map<String, Map<Long, Double>> logged = new TreeMap<>();
    for (int step = 0; step < iterations; step++) {
      String copyKey = ObjectKeys.run(summary.runId()).prefix() + String.format("metrics/step-%06d.json", step);
      Map<String, Double> copy = JSON.readValue(store.get(copyKey), new TypeReference<Map<String, Double>>() {});
      for (Map.Entry<String, Double> metric : copy.entrySet()) {
        logged.computeIfAbsent(metric.getKey(), k -> new TreeMap<>()).put((long) step, metric.getValue());
      }
    }
    List<Long> evalSteps = summary.evalHistory().stream().map(e -> (long) e.iteration()).sorted().toList();
    for (String key : mlflow.history().keySet()) {
      List<Long> steps = mlflow.steps(key);
      if (key.startsWith("eval_")) {
        assertEquals(evalSteps, steps, key + ": one point per evaluation");
        continue;
      }
      Map<Long, Double> expected = logged.getOrDefault(key, Map.of());
      assertEquals(List.copyOf(expected.keySet()), steps, key + ": one point per step at which the run logged it");
      for (MlflowRunHistory.Point point : mlflow.history().get(key)) {
        assertEquals(expected.get(point.step()), point.value(), 1e-9 * Math.max(1, Math.abs(point.value())),
            key + " at step " + point.step());
      }
    }
    assertEquals(logged.keySet(), mlflow.history().keySet().stream().filter(k -> !k.startsWith("eval_"))
        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new)),
        "every metric the run logged is in MLflow");
    System.out.printf("MLflow run %s: %d metrics over %d iterations, each point exactly once%n",
        mlflow.mlflowRunId(), mlflow.history().size(), iterations);
  }

  /** The Temporal CLI, or a skip (a failure under CRL_REQUIRE_TOOLS=1) when it is not installed. */
  static Path temporalCli() {
    Optional<Path> bin = DevServerTemporal.findBinary(ProjectHome.find());
    if (bin.isEmpty() && "1".equals(System.getenv("CRL_REQUIRE_TOOLS"))) {
      throw new AssertionError("the temporal CLI is missing: run infra/local/install-tools.sh");
    }
    assumeTrue(bin.isPresent(), "the temporal CLI is not installed (infra/local/install-tools.sh)");
    return bin.get();
  }

  /** A JVM started by {@link #startJava} and the line with which it said it was ready. */
  public record JavaProcess(Process process, String readyLine) {}

  /**
   * Starts {@code mainClass} in a JVM of its own on this test's class path and waits for the
   * first output line that starts with {@code readyPrefix}; its later output is drained so that it
   * never blocks on a full pipe. Fails when the JVM exits without saying it is ready.
   */
  static JavaProcess startJava(Class<?> mainClass, String readyPrefix, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(readyPrefix)) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), mainClass.getSimpleName() + "-output");
        drain.setDaemon(true);
        drain.start();
        return new JavaProcess(p, line);
      }
      seen.add(line);
    }
    throw new AssertionError(mainClass.getSimpleName() + " exited before it was ready, code " + p.waitFor()
        + "; it said: " + seen);
  }
}
