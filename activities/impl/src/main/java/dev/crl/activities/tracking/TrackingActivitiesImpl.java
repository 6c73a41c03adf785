package dev.crl.activities.tracking;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.crl.activities.StoredJson;
import dev.crl.activities.WorkerResources;
import dev.crl.api.activity.TrackingActivities;
import dev.crl.api.payload.EvalResult;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.RunSpec;
import dev.crl.api.spec.RunSpecLoader;
import dev.crl.stores.ObjectKeys;
import dev.crl.stores.RunStatus;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Experiment tracking. Metrics go to the configured sink (MLflow or local files), which is
 * idempotent per (metric, step), so a retried call never duplicates a point; a copy of each
 * step's metrics and each evaluation also goes to the object store, from which the final report
 * (report.json and curves.svg) is built wherever the run finishes.
 */
public final class TrackingActivitiesImpl implements TrackingActivities {
  private final WorkerResources resources;
  private final Map<String, String> sinkRunIds = new java.util.concurrent.ConcurrentHashMap<>();

  public TrackingActivitiesImpl(WorkerResources resources) {
    this.resources = resources;
  }

  @Override
  public void startTracking(String runId, RunSpec spec, Map<String, String> tags) {
    // Every execution of a run starts here, including curriculum stages and resumed runs that
    // skip initializeRun: storing the spec now lets activities on any worker find it by run id.
    resources.storeSpec(runId, spec);
    Map<String, String> allTags = new TreeMap<>(tags);
    allTags.put("crl.run_id", runId);
    allTags.put("crl.spec_uri", resources.objectStore().uri(ObjectKeys.run(runId).prefix() + "spec.yaml"));
    String sinkId = resources.metrics().startRun(runId, RunSpecLoader.flatten(spec), allTags);
    sinkRunIds.put(runId, sinkId);
  }

  private String sinkId(String runId) {
    // After a worker restart the map is empty: startRun is idempotent by name and finds the run.
    return sinkRunIds.computeIfAbsent(runId, id -> resources.metrics().startRun(id, Map.of(), Map.of()));
  }

  @Override
  public void logMetrics(String runId, int step, Map<String, Double> metrics) {
    Map<String, Double> finite = new TreeMap<>();
    metrics.forEach((k, v) -> {
      if (v != null && Double.isFinite(v)) {
        finite.put(k, v);
      }
    });
    resources.metrics().logMetrics(sinkId(runId), step, finite);
    String key = ReportBuilder.metricsKey(runId, step);
    Map<String, Double> merged = new TreeMap<>(readMap(key));
    merged.putAll(finite);
    put(key, merged);
  }

  @Override
  public void recordEvaluation(String runId, EvalResult result) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("eval_success_without_experience", result.successWithout());
    m.put("eval_success_with_experience", result.successWith());
    result.perTask().forEach((task, v) -> m.put("eval_success/" + task, v));
    Map<String, Double> finite = new TreeMap<>();
    m.forEach((k, v) -> {
      if (v != null && Double.isFinite(v)) {
        finite.put(k, v);
      }
    });
    resources.metrics().logMetrics(sinkId(runId), result.iteration(), finite);
    put(ReportBuilder.evalKey(runId, result.iteration()), result);
  }

  @Override
  public void finishTracking(String runId, RunSummary summary) {
    ReportBuilder.Report report = new ReportBuilder(resources.objectStore(), runId).build(summary);
    ObjectKeys.RunKeys keys = ObjectKeys.run(runId);
    put(keys.prefix() + "report/report.json", report.json());
    resources.objectStore().put(keys.prefix() + "report/curves.svg",
        report.curvesSvg().getBytes(StandardCharsets.UTF_8));
    Map<String, String> tags = new TreeMap<>();
    if (summary.actor() != null) {
      tags.put("crl.actor_checkpoint", resources.objectStore().uri(summary.actor().key()));
    }
    if (summary.extractor() != null) {
      tags.put("crl.extractor_checkpoint", resources.objectStore().uri(summary.extractor().key()));
    }
    if (summary.bank() != null) {
      tags.put("crl.bank_snapshot", resources.objectStore().uri(summary.bank().key()));
    }
    tags.put("crl.status", summary.status());
    String sink = sinkId(runId);
    resources.metrics().setTags(sink, tags);
    resources.metrics().endRun(sink, switch (summary.status()) {
      case "completed" -> RunStatus.FINISHED;
      case "stopped" -> RunStatus.KILLED;
      default -> RunStatus.FAILED;
    });
  }

  private Map<String, Double> readMap(String key) {
    return StoredJson.find(resources.objectStore(), key, new TypeReference<Map<String, Double>>() {}).orElse(Map.of());
  }

  private void put(String key, Object value) {
    StoredJson.put(resources.objectStore(), key, value);
  }
}
