package dev.crl.workers.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crl.activities.WorkerResources;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.RunSpec;
import dev.crl.stores.LocalMetricsSink;
import dev.crl.stores.MetricPoint;
import dev.crl.stores.RunSnapshot;
import dev.crl.workers.cli.SpecLoading;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Complementary RL loop with the real activities (tiny models, real environments,
 * the experience manager, local object store and metrics) on Temporal's in-process server: a
 * few short iterations, then the report, checkpoints, bank snapshots and metrics are checked.
 */
class TrainingRunEndToEndTest {
  private static final String SPEC = """
      name: e2e
      seed: 3
      tasks:
        envs:
          - id: minihack-room
        eval:
          episodes: 4
      models:
        extractor:
          warm_start_steps: 3
        embedder:
          dim: 64
      algorithm:
        group_size: 4
        actor_lr: 0.001
        extractor_lr: 0.001
        extractor_buffer: 2
        retrieval_warmup_steps: 1
        merge_every: 2
        minibatches: 2
        format_penalty: 0.03
      budget:
        iterations: 3
        tasks_per_iteration: 2
        max_turns: 6
        max_new_tokens: 1
        checkpoint_every: 1
        eval_every: 2
      """;

  @Test
  void aShortRunProducesCheckpointsBankSnapshotsMetricsAndAReport(@TempDir Path dir) throws Exception {
    RunSpec spec = SpecLoading.resolveMixtures(SpecLoading.loader().parse(SPEC, "e2e"));
    RunDirectory run = RunDirectory.create(dir.resolve("run"), "e2e-run", spec, Map.of());
    RunSummary summary;
    try (InProcessTemporal temporal = InProcessTemporal.start();
        WorkerResources resources = WorkerResources.open(spec.backends(), run.objectStore(), run.metrics());
        WorkerHost host = WorkerHost.start(temporal, "crl", EnumSet.allOf(Role.class), resources)) {
      summary = new RunLauncher(host.client()).start("e2e-run", spec).result();
      resources.exportReport("e2e-run", run.path());
    }
    assertEquals("completed", summary.status());
    assertEquals(3, summary.iterations());
    Path store = run.objectStore().resolve("runs/e2e-run");
    for (int v = 0; v <= 3; v++) {
      assertTrue(Files.isRegularFile(store.resolve(String.format("checkpoints/actor/v-%06d/manifest.json", v))),
          "actor checkpoint v" + v);
    }
    assertTrue(Files.isRegularFile(store.resolve("bank/LATEST.json")), "a bank snapshot pointer");

    JsonNode report = new ObjectMapper().readTree(run.report().toFile());
    List<Integer> evalIterations = new java.util.ArrayList<>();
    report.path("eval").forEach(e -> evalIterations.add(e.path("iteration").asInt()));
    assertEquals(List.of(0, 2, 3), evalIterations, "evaluations at the start, every 2 and at the end");
    for (JsonNode e : report.path("eval")) {
      double s = e.path("success").asDouble(-1);
      assertTrue(s >= 0 && s <= 1, "success is a rate: " + e);
    }
    assertEquals(3, report.path("metrics").size(), "one metrics row per iteration");
    assertTrue(Files.size(run.path().resolve("curves.svg")) > 500, "curves are drawn");

    RunSnapshot metrics = new LocalMetricsSink(run.metrics()).readRun("e2e-run");
    List<MetricPoint> success = metrics.series("success_free");
    assertEquals(List.of(0L, 1L, 2L), success.stream().map(MetricPoint::step).toList(),
        "each iteration logged exactly once");
    assertTrue(metrics.params().containsKey("algorithm.clip_eps"), "the resolved spec is logged as params");
  }
}
