package dev.crl.stores;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link MetricsSink} on an MLflow tracking server, through its REST API ({@code
 * /api/2.0/mlflow/...}) with {@code java.net.http} and Jackson.
 *
 * <p><b>Idempotency.</b> A run is found again by its name, stored in the tag {@value
 * #RUN_KEY_TAG}. Before writing metrics for a step, the sink reads the run's latest value of each
 * metric (one {@code runs/get}): a key whose latest step equals the step is already written and
 * skipped; a key whose latest step is beyond the step is checked against its full history. MLflow
 * writes one {@code runs/log-batch} in one database transaction, so a batch is either entirely
 * there or entirely absent, and a call repeated after a lost response writes nothing twice.
 *
 * <p><b>Outages.</b> Each public call retries connection errors, timeouts, HTTP 5xx and 429 with
 * exponential backoff for {@link MlflowConfig#retryWindow()} (90 s by default), re-running the
 * read-then-write step each time, so a 30 s outage only delays the call. After the window the
 * call throws {@link BackendUnavailableException} and the caller (the metrics activity) retries;
 * nothing is buffered in memory, so nothing can be lost when the process dies while waiting.
 */
public final class MlflowMetricsSink implements MetricsSink {

  /** Tag holding the run name given to {@link #startRun}; the idempotency key of runs. */
  public static final String RUN_KEY_TAG = "crl.run_key";

  /** MLflow's per-request limits (log-batch) and value length limits. */
  static final int MAX_METRICS_PER_BATCH = 1000;

  static final int MAX_PARAMS_PER_BATCH = 100;
  static final int MAX_TAGS_PER_BATCH = 100;
  static final int MAX_PARAM_VALUE_LENGTH = 6000;
  static final int MAX_TAG_VALUE_LENGTH = 8000;

  private static final int HISTORY_PAGE = 25_000;

  private final MlflowConfig config;
  private final MlflowRestClient rest;
  private final Backoff backoff;
  private volatile String experimentId;

  public MlflowMetricsSink(MlflowConfig config) {
    this.config = config;
    this.rest = new MlflowRestClient(config);
    this.backoff = new Backoff(config.retryWindow(), Duration.ofMillis(250), Duration.ofSeconds(2));
  }

  public MlflowConfig config() {
    return config;
  }

  /** The MLflow experiment id of {@link MlflowConfig#experimentName()}, created when missing. */
  public String experimentId() {
    String id = experimentId;
    if (id == null) {
      id = backoff.run(this::findOrCreateExperiment);
      experimentId = id;
    }
    return id;
  }

  @Override
  public String startRun(String runName, Map<String, String> params, Map<String, String> tags) {
    MetricKeys.validateRunName(runName);
    params.keySet().forEach(k -> MetricKeys.validateKey("param", k));
    tags.keySet().forEach(k -> MetricKeys.validateKey("tag", k));
    String experiment = experimentId();
    return backoff.run(
        () -> {
          String runId = findRun(experiment, runName);
          if (runId == null) {
            runId = createRun(experiment, runName);
          } else {
            ObjectNode update = Json.MAPPER.createObjectNode().put("run_id", runId).put("status", "RUNNING");
            rest.post("runs/update", update);
          }
          Map<String, String> known = keyValues(runData(runId).path("params"));
          Map<String, String> newParams = new TreeMap<>();
          Map<String, String> newTags = new TreeMap<>(tags);
          for (Map.Entry<String, String> param : params.entrySet()) {
            String value = truncate(param.getValue(), MAX_PARAM_VALUE_LENGTH);
            String old = known.get(param.getKey());
            if (old == null) {
              newParams.put(param.getKey(), value);
            } else if (!old.equals(value)) {
              newTags.put("crl.param_changed." + param.getKey(), value);
            }
          }
          logEntries(runId, "params", newParams, MAX_PARAMS_PER_BATCH, MAX_PARAM_VALUE_LENGTH);
          logEntries(runId, "tags", newTags, MAX_TAGS_PER_BATCH, MAX_TAG_VALUE_LENGTH);
          return runId;
        });
  }

  @Override
  public void logMetrics(String runId, long step, Map<String, Double> metrics) {
    MetricKeys.validateStep(step);
    MetricKeys.validateMetrics(metrics);
    if (metrics.isEmpty()) {
      return;
    }
    backoff.run(
        () -> {
          Map<String, Long> latest = latestSteps(runId);
          List<Map.Entry<String, Double>> fresh = new ArrayList<>();
          for (Map.Entry<String, Double> metric : new TreeMap<>(metrics).entrySet()) {
            Long latestStep = latest.get(metric.getKey());
            boolean written =
                latestStep != null
                    && (latestStep == step
                        || latestStep > step && historyHasStep(runId, metric.getKey(), step));
            if (!written) {
              fresh.add(metric);
            }
          }
          long timestamp = System.currentTimeMillis();
          for (int from = 0; from < fresh.size(); from += MAX_METRICS_PER_BATCH) {
            ArrayNode array = Json.MAPPER.createArrayNode();
            for (Map.Entry<String, Double> metric :
                fresh.subList(from, Math.min(fresh.size(), from + MAX_METRICS_PER_BATCH))) {
              ObjectNode point = array.addObject().put("key", metric.getKey());
              putDouble(point, "value", metric.getValue());
              point.put("timestamp", timestamp).put("step", step);
            }
            ObjectNode batch = Json.MAPPER.createObjectNode().put("run_id", runId);
            batch.set("metrics", array);
            rest.post("runs/log-batch", batch);
          }
          return null;
        });
  }

  @Override
  public void setTags(String runId, Map<String, String> tags) {
    tags.keySet().forEach(k -> MetricKeys.validateKey("tag", k));
    backoff.run(
        () -> {
          logEntries(runId, "tags", new TreeMap<>(tags), MAX_TAGS_PER_BATCH, MAX_TAG_VALUE_LENGTH);
          return null;
        });
  }

  @Override
  public void endRun(String runId, RunStatus status) {
    backoff.run(
        () ->
            rest.post(
                "runs/update",
                Json.MAPPER
                    .createObjectNode()
                    .put("run_id", runId)
                    .put("status", status.name())
                    .put("end_time", System.currentTimeMillis())));
  }

  @Override
  public RunSnapshot readRun(String runId) {
    return backoff.run(
        () -> {
          JsonNode run = getRun(runId);
          JsonNode info = run.path("info");
          JsonNode data = run.path("data");
          Map<String, List<MetricPoint>> metrics = new TreeMap<>();
          for (JsonNode latest : data.path("metrics")) {
            String key = latest.path("key").asText();
            metrics.put(key, history(runId, key));
          }
          Map<String, String> tags = keyValues(data.path("tags"));
          String name = tags.getOrDefault(RUN_KEY_TAG, info.path("run_name").asText());
          return new RunSnapshot(
              runId,
              name,
              RunStatus.valueOf(info.path("status").asText("RUNNING")),
              keyValues(data.path("params")),
              tags,
              metrics);
        });
  }

  /** The full history of one metric, sorted by step then timestamp. */
  public List<MetricPoint> metricHistory(String runId, String key) {
    return backoff.run(() -> history(runId, key));
  }

  // ---------------------------------------------------------------------------------------------

  private String findOrCreateExperiment() {
    JsonNode found = rest.get("experiments/get-by-name", Map.of("experiment_name", config.experimentName()));
    if (found != MlflowRestClient.NOT_FOUND) {
      JsonNode experiment = found.path("experiment");
      if ("deleted".equals(experiment.path("lifecycle_stage").asText())) {
        throw new BackendConfigurationException(
            "MLflow experiment '" + config.experimentName() + "' is deleted: restore it or choose another name");
      }
      return experiment.path("experiment_id").asText();
    }
    try {
      return rest.post("experiments/create", Json.MAPPER.createObjectNode().put("name", config.experimentName()))
          .path("experiment_id")
          .asText();
    } catch (InvalidBackendRequestException e) {
      // Another worker created it between our lookup and our create.
      JsonNode again = rest.get("experiments/get-by-name", Map.of("experiment_name", config.experimentName()));
      if (again == MlflowRestClient.NOT_FOUND) {
        throw e;
      }
      return again.path("experiment").path("experiment_id").asText();
    }
  }

  private String findRun(String experiment, String runName) {
    ObjectNode search = Json.MAPPER.createObjectNode();
    search.putArray("experiment_ids").add(experiment);
    search.put("filter", "tags.`" + RUN_KEY_TAG + "` = '" + runName + "'");
    search.put("run_view_type", "ACTIVE_ONLY");
    search.put("max_results", 2);
    search.putArray("order_by").add("attributes.start_time ASC");
    JsonNode runs = rest.post("runs/search", search).path("runs");
    return runs.isEmpty() ? null : runs.get(0).path("info").path("run_id").asText();
  }

  private String createRun(String experiment, String runName) {
    ObjectNode create =
        Json.MAPPER
            .createObjectNode()
            .put("experiment_id", experiment)
            .put("run_name", runName)
            .put("start_time", System.currentTimeMillis());
    ArrayNode tags = create.putArray("tags");
    tags.addObject().put("key", RUN_KEY_TAG).put("value", runName);
    return rest.post("runs/create", create).path("run").path("info").path("run_id").asText();
  }

  private JsonNode getRun(String runId) {
    JsonNode response = rest.get("runs/get", Map.of("run_id", runId));
    if (response == MlflowRestClient.NOT_FOUND) {
      throw new IllegalArgumentException("MLflow has no run with id '" + runId + "'");
    }
    return response.path("run");
  }

  private JsonNode runData(String runId) {
    return getRun(runId).path("data");
  }

  private Map<String, Long> latestSteps(String runId) {
    Map<String, Long> latest = new HashMap<>();
    for (JsonNode metric : runData(runId).path("metrics")) {
      latest.put(metric.path("key").asText(), metric.path("step").asLong());
    }
    return latest;
  }

  private boolean historyHasStep(String runId, String key, long step) {
    return history(runId, key).stream().anyMatch(p -> p.step() == step);
  }

  private List<MetricPoint> history(String runId, String key) {
    List<MetricPoint> points = new ArrayList<>();
    String pageToken = null;
    do {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("run_id", runId);
      query.put("metric_key", key);
      query.put("max_results", Integer.toString(HISTORY_PAGE));
      if (pageToken != null) {
        query.put("page_token", pageToken);
      }
      JsonNode page = rest.get("metrics/get-history", query);
      for (JsonNode metric : page.path("metrics")) {
        points.add(
            new MetricPoint(
                metric.path("step").asLong(), readDouble(metric.path("value")), metric.path("timestamp").asLong()));
      }
      pageToken = page.path("next_page_token").asText("");
    } while (!pageToken.isEmpty());
    points.sort((a, b) -> a.step() != b.step() ? Long.compare(a.step(), b.step()) : Long.compare(a.timestampMillis(), b.timestampMillis()));
    return points;
  }

  private void logEntries(String runId, String field, Map<String, String> entries, int chunk, int maxValue) {
    List<Map.Entry<String, String>> list = new ArrayList<>(entries.entrySet());
    for (int from = 0; from < list.size(); from += chunk) {
      ObjectNode batch = Json.MAPPER.createObjectNode().put("run_id", runId);
      ArrayNode array = batch.putArray(field);
      for (Map.Entry<String, String> entry : list.subList(from, Math.min(list.size(), from + chunk))) {
        array.addObject().put("key", entry.getKey()).put("value", truncate(entry.getValue(), maxValue));
      }
      rest.post("runs/log-batch", batch);
    }
  }

  private static Map<String, String> keyValues(JsonNode array) {
    Map<String, String> map = new TreeMap<>();
    for (JsonNode entry : array) {
      map.put(entry.path("key").asText(), entry.path("value").asText());
    }
    return map;
  }

  /** Keeps values within MLflow's limit and says so in the value itself. */
  static String truncate(String value, int max) {
    String text = value == null ? "null" : value;
    if (text.length() <= max) {
      return text;
    }
    int kept = max - 40;
    return text.substring(0, kept) + "...[truncated " + (text.length() - kept) + " chars]";
  }

  /** JSON has no NaN or infinity; MLflow's protobuf JSON accepts them as strings. */
  private static void putDouble(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.put(field, Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }
  }

  private static double readDouble(JsonNode node) {
    return node.isNumber() ? node.asDouble() : Double.parseDouble(node.asText());
  }
}
