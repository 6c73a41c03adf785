package dev.crl.stores;

import java.util.Map;

/**
 * Where a training run's parameters, tags and per-iteration metrics go: local files by default
 * ({@link LocalMetricsSink}), an MLflow tracking server when one is configured ({@link
 * MlflowMetricsSink}).
 *
 * <p>Contract shared by the implementations:
 *
 * <ul>
 *   <li>{@link #startRun} is idempotent by run name: starting a run whose name is already known
 *       returns the same run id (a retried or resumed run continues its MLflow run).
 *   <li>{@link #logMetrics} is idempotent per (metric key, step): a point whose key already has
 *       a value at that step is not written again, so a retried metrics activity never
 *       duplicates points. Callers log each metric's steps in increasing order (the normal
 *       iteration loop); out-of-order steps are still handled exactly, just more slowly.
 *   <li>A call either returns after the backend durably accepted the data or throws; nothing is
 *       dropped silently. Transient faults end in {@link BackendUnavailableException} (retry the
 *       call), bad configuration in {@link BackendConfigurationException}, rejected input in
 *       {@link InvalidBackendRequestException} or {@link IllegalArgumentException}.
 * </ul>
 */
public interface MetricsSink extends AutoCloseable {

  /**
   * Starts (or resumes) the run named {@code runName}.
   *
   * @param params parameters (e.g. the flattened run spec, see {@link SpecParams}); a key that
   *     was logged before with a different value is kept and the new value is recorded as the tag
   *     {@code crl.param_changed.<key>}, because MLflow parameters are immutable
   * @param tags initial tags
   * @return the run id to pass to the other methods
   */
  String startRun(String runName, Map<String, String> params, Map<String, String> tags);

  /**
   * Logs a batch of metric values for one step.
   *
   * @param metrics key to value; keys use letters, digits, '_', '-', '.', ' ' and '/'
   */
  void logMetrics(String runId, long step, Map<String, Double> metrics);

  /** Adds or replaces tags (workflow ids, checkpoint URIs...). */
  void setTags(String runId, Map<String, String> tags);

  /** Marks the run finished, failed or killed. */
  void endRun(String runId, RunStatus status);

  /** Reads the run back: params, tags, status and every metric's full history. */
  RunSnapshot readRun(String runId);

  @Override
  default void close() {}
}
