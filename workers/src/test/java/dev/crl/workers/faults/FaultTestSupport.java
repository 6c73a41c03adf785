package dev.crl.workers.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.crl.api.payload.RunStatus;
import dev.crl.api.spec.RunSpec;
import dev.crl.stores.LocalMetricsSink;
import dev.crl.stores.MetricPoint;
import dev.crl.workers.cli.SpecLoading;
import dev.crl.workers.runtime.DevServerTemporal;
import dev.crl.workers.runtime.ProjectHome;
import dev.crl.workers.runtime.RunLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.LongStream;

/** Shared pieces of the fault-tolerance tests: a short run spec and waiting helpers. */
final class FaultTestSupport {
  private FaultTestSupport() {}

  /** A run of {@code iterations} short iterations on minihack-room with tiny models. */
  static RunSpec shortRun(String name, int iterations) {
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
        """.formatted(name, iterations);
    return SpecLoading.resolveMixtures(SpecLoading.loader().parse(yaml, name));
  }

  /** Polls the run's status until {@code condition} holds. */
  static RunStatus awaitStatus(RunLauncher.RunHandle run, Predicate<RunStatus> condition, Duration timeout)
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

  /** Asserts that each iteration's metric was logged exactly once, none lost, none duplicated. */
  static void assertEveryIterationLoggedOnce(Path metricsRoot, String runId, int iterations) {
    List<MetricPoint> points = new LocalMetricsSink(metricsRoot).readRun(runId).series("success_free");
    assertEquals(LongStream.range(0, iterations).boxed().toList(),
        points.stream().map(MetricPoint::step).toList(), "one point per iteration: none lost, none duplicated");
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
}
