package dev.crl.stores;

import java.util.List;
import java.util.Map;

/**
 * Everything a metrics sink knows about one run, read back in one piece (for {@code crl runs
 * show}, reports and tests).
 *
 * @param runId the sink's id of the run (the run name for local runs, MLflow's run uuid otherwise)
 * @param runName the name given to {@link MetricsSink#startRun}
 * @param status the run's state
 * @param params logged parameters
 * @param tags current tags
 * @param metrics each metric's points sorted by step
 */
public record RunSnapshot(
    String runId,
    String runName,
    RunStatus status,
    Map<String, String> params,
    Map<String, String> tags,
    Map<String, List<MetricPoint>> metrics) {

  public RunSnapshot {
    params = Map.copyOf(params);
    tags = Map.copyOf(tags);
    metrics = Map.copyOf(metrics);
  }

  /** The points of one metric, or an empty list. */
  public List<MetricPoint> series(String key) {
    return metrics.getOrDefault(key, List.of());
  }
}
