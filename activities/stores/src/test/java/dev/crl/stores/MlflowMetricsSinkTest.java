package dev.crl.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics-sink contract and MLflow-specific behaviour against a real {@code mlflow server}
 * (SQLite backend) started once for the class. Results are checked through MLflow's REST API
 * with a plain HTTP client, not only through the sink.
 */
class MlflowMetricsSinkTest extends MetricsSinkContract {

  @TempDir static Path serverDir;
  private static MlflowServer server;
  private static MlflowMetricsSink sink;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void startServer() throws Exception {
    Path mlflow = TestSupport.requireTool("mlflow");
    server = new MlflowServer(mlflow, serverDir);
    sink = new MlflowMetricsSink(config(server.url()).build());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static MlflowConfig.Builder config(String url) {
    return MlflowConfig.builder()
        .setTrackingUri(url)
        .optExperimentName("crl-contract")
        .optRetryWindow(Duration.ofSeconds(30))
        .optRequestTimeout(Duration.ofSeconds(20));
  }

  @Override
  MetricsSink sink() {
    return sink;
  }

  /** GET on MLflow's REST API without going through the sink. */
  private static JsonNode rest(String pathAndQuery) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(server.url() + "/api/2.0/mlflow/" + pathAndQuery)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return Json.MAPPER.readTree(response.body());
  }

  private static List<Long> historySteps(String runId, String key) throws Exception {
    List<Long> steps = new ArrayList<>();
    JsonNode history =
        rest("metrics/get-history?run_id=" + runId + "&metric_key=" + URLEncoder.encode(key, StandardCharsets.UTF_8));
    history.path("metrics").forEach(m -> steps.add(m.path("step").asLong()));
    steps.sort(null);
    return steps;
  }

  @Test
  void aWholeSpecIsLoggedAsParamsInChunksWithLongValuesTruncated() throws Exception {
    Map<String, Object> spec = new LinkedHashMap<>();
    Map<String, Object> learners = new LinkedHashMap<>();
    for (int i = 0; i < 230; i++) {
      learners.put("option" + i, i);
    }
    spec.put("learners", learners);
    spec.put("tasks", List.of("minihack-room", "minihack-corridor"));
    spec.put("prompt", "x".repeat(7000));
    Map<String, String> params = SpecParams.flatten(spec);
    assertEquals(233, params.size());

    String id = sink.startRun(runName, params, Map.of());
    JsonNode logged = rest("runs/get?run_id=" + id).path("run").path("data").path("params");
    Map<String, String> byKey = new LinkedHashMap<>();
    logged.forEach(p -> byKey.put(p.path("key").asText(), p.path("value").asText()));
    assertEquals(233, byKey.size(), "all params must arrive although MLflow takes 100 per request");
    assertEquals("minihack-corridor", byKey.get("tasks.1"));
    assertEquals("229", byKey.get("learners.option229"));
    String prompt = byKey.get("prompt");
    assertTrue(prompt.length() <= MlflowMetricsSink.MAX_PARAM_VALUE_LENGTH && prompt.contains("truncated"), prompt.length() + "");
  }

  @Test
  void theRunIsFoundInMlflowUnderItsNameWithItsMetrics() throws Exception {
    String id = sink.startRun(runName, Map.of(), Map.of());
    sink.logMetrics(id, 0, Map.of("success/free", 0.1));
    sink.logMetrics(id, 1, Map.of("success/free", 0.2));
    sink.endRun(id, RunStatus.FINISHED);
    JsonNode info = rest("runs/get?run_id=" + id).path("run").path("info");
    assertEquals(runName, info.path("run_name").asText());
    assertEquals("FINISHED", info.path("status").asText());
    assertEquals(sink.experimentId(), info.path("experiment_id").asText());
    assertEquals(List.of(0L, 1L), historySteps(id, "success/free"));
  }

  @Test
  void anOutageOfSeveralSecondsDelaysCallsButLosesAndDuplicatesNothing() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.port())) {
      MlflowMetricsSink viaProxy =
          new MlflowMetricsSink(config(proxy.url()).optRetryWindow(Duration.ofSeconds(TestSupport.OUTAGE_SECONDS + 60)).build());
      String id = viaProxy.startRun(runName, Map.of(), Map.of());
      viaProxy.logMetrics(id, 0, Map.of("reward", 0.0));

      proxy.down();
      assertFalse(proxy.portAcceptsConnections(), () -> "something else listens on port " + proxy.port() + ":\n" + proxy.listeners());
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread trainer =
          new Thread(
              () -> {
                try {
                  for (long step = 1; step < 10; step++) {
                    viaProxy.logMetrics(id, step, Map.of("reward", step / 10.0, "iteration_time", 1.0 + step));
                  }
                } catch (Throwable t) {
                  failure.set(t);
                }
              });
      long start = System.nanoTime();
      trainer.start();
      Thread.sleep(TestSupport.OUTAGE_SECONDS * 1000L);
      assertTrue(trainer.isAlive(), "logging must be blocked while MLflow is unreachable");
      proxy.up();
      trainer.join(120_000);
      long millis = (System.nanoTime() - start) / 1_000_000;
      if (failure.get() != null) {
        throw new AssertionError("logging failed across the outage", failure.get());
      }
      assertTrue(millis >= TestSupport.OUTAGE_SECONDS * 1000L, "the outage lasted " + millis + " ms");
      System.out.printf("MLflow outage of %d s: 9 blocked logMetrics calls completed %d ms after the start%n", TestSupport.OUTAGE_SECONDS, millis);
      assertEquals(LongStream.range(0, 10).boxed().toList(), historySteps(id, "reward"));
      assertEquals(LongStream.range(1, 10).boxed().toList(), historySteps(id, "iteration_time"));
    }
  }

  @Test
  void aBatchWhoseResponseIsLostIsNotWrittenAgainByTheRetry() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.port())) {
      MlflowMetricsSink viaProxy = new MlflowMetricsSink(config(proxy.url()).build());
      String id = viaProxy.startRun(runName, Map.of(), Map.of());
      viaProxy.logMetrics(id, 0, Map.of("loss", 1.0, "grad_norm", 3.0));

      proxy.dropNextResponsesTo("/runs/log-batch", 1);
      viaProxy.logMetrics(id, 1, Map.of("loss", 0.5, "grad_norm", 2.0));
      assertEquals(1, proxy.droppedResponses(), "the log-batch response must have been lost once");

      assertEquals(List.of(0L, 1L), historySteps(id, "loss"));
      assertEquals(List.of(0L, 1L), historySteps(id, "grad_norm"));
    }
  }

  @Test
  void anUnreachableServerEndsInARetryableErrorAfterTheRetryWindow() {
    MlflowMetricsSink nowhere =
        new MlflowMetricsSink(
            config("http://127.0.0.1:" + TestSupport.freePort()).optRetryWindow(Duration.ofSeconds(2)).build());
    long start = System.nanoTime();
    BackendUnavailableException error =
        assertThrows(BackendUnavailableException.class, () -> nowhere.startRun(runName, Map.of(), Map.of()));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(error.isRetryable());
    assertTrue(millis >= 1900 && millis < 15_000, "gave up after " + millis + " ms");
    assertTrue(error.getMessage().contains("cannot reach MLflow"), error.getMessage());
  }

  @Test
  void anEndpointThatIsNotMlflowIsAConfigurationError() throws Exception {
    HttpServer notMlflow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    notMlflow.createContext(
        "/",
        exchange -> {
          byte[] page = "<html>not here</html>".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(404, page.length);
          exchange.getResponseBody().write(page);
          exchange.close();
        });
    notMlflow.start();
    try {
      MlflowMetricsSink wrong =
          new MlflowMetricsSink(config("http://127.0.0.1:" + notMlflow.getAddress().getPort()).build());
      BackendConfigurationException error =
          assertThrows(BackendConfigurationException.class, () -> wrong.startRun(runName, Map.of(), Map.of()));
      assertFalse(error.isRetryable());
      assertTrue(error.getMessage().contains("MLFLOW_TRACKING_URI"), error.getMessage());
    } finally {
      notMlflow.stop(0);
    }
  }

  @Test
  void trackingUrisOtherThanHttpAreRejected() {
    assertThrows(BackendConfigurationException.class, () -> MlflowConfig.builder().setTrackingUri("file:///tmp/mlruns").build());
    assertThrows(BackendConfigurationException.class, () -> MlflowConfig.builder().setTrackingUri("").build());
    assertTrue(MlflowConfig.fromEnvironment(Map.of()).isEmpty());
    MlflowConfig fromEnv =
        MlflowConfig.fromEnvironment(Map.of("MLFLOW_TRACKING_URI", server.url() + "/", "MLFLOW_TRACKING_TOKEN", "secret-token"))
            .orElseThrow();
    assertEquals(URI.create(server.url()), fromEnv.trackingUri());
    assertFalse(fromEnv.toString().contains("secret-token"));
  }
}
