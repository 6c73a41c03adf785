package dev.crl.workers.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A crl training run as MLflow's REST API shows it: the run's status and the full history of
 * every metric. It is read with a plain HTTP client rather than through crl's MLflow sink, so a
 * fault in the sink cannot hide itself.
 *
 * @param mlflowRunId MLflow's id of the run
 * @param status MLflow's run status (FINISHED, RUNNING ...)
 * @param history every point of every metric, by key, in step order
 */
record MlflowRunHistory(String mlflowRunId, String status, Map<String, List<Point>> history) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One logged point; a duplicated point is a second one with the same step. */
  record Point(long step, double value) {}

  /**
   * Finds the MLflow run that crl created for {@code crlRunId} in {@code experiment} (crl tags
   * it with {@code crl.run_key}) and reads its metric histories. Fails when there is not exactly
   * one such run: a second run for the same crl run would be a duplicate as well.
   */
  static MlflowRunHistory read(String trackingUri, String experiment, String crlRunId) throws Exception {
    String experimentId = get(trackingUri, "experiments/get-by-name?experiment_name=" + encode(experiment))
        .path("experiment").path("experiment_id").asText();
    ObjectNode search = JSON.createObjectNode();
    search.putArray("experiment_ids").add(experimentId);
    search.put("filter", "tags.`crl.run_key` = '" + crlRunId + "'");
    search.put("max_results", 10);
    JsonNode runs = post(trackingUri, "runs/search", search).path("runs");
    assertEquals(1, runs.size(), "exactly one MLflow run for crl run " + crlRunId + ": " + runs);
    JsonNode run = runs.get(0);
    String id = run.path("info").path("run_id").asText();
    Map<String, List<Point>> history = new TreeMap<>();
    for (JsonNode latest : run.path("data").path("metrics")) {
      String key = latest.path("key").asText();
      List<Point> points = new ArrayList<>();
      JsonNode all = get(trackingUri, "metrics/get-history?run_id=" + id + "&metric_key=" + encode(key)
          + "&max_results=100000").path("metrics");
      all.forEach(p -> points.add(new Point(p.path("step").asLong(), p.path("value").asDouble())));
      points.sort(Comparator.comparingLong(Point::step));
      history.put(key, List.copyOf(points));
    }
    return new MlflowRunHistory(id, run.path("info").path("status").asText(), history);
  }

  /** The steps at which {@code key} was logged, in order, duplicates included. */
  List<Long> steps(String key) {
    return history.getOrDefault(key, List.of()).stream().map(Point::step).toList();
  }

  private static JsonNode get(String trackingUri, String pathAndQuery) throws Exception {
    return send(HttpRequest.newBuilder(api(trackingUri, pathAndQuery)).GET());
  }

  private static JsonNode post(String trackingUri, String path, JsonNode body) throws Exception {
    return send(HttpRequest.newBuilder(api(trackingUri, path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
  }

  private static JsonNode send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), () -> request.build().uri() + ": " + response.body());
    return JSON.readTree(response.body());
  }

  private static URI api(String trackingUri, String pathAndQuery) {
    return URI.create(trackingUri + "/api/2.0/mlflow/" + pathAndQuery);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
