package dev.crl.stores;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Minimal JSON-over-HTTP client for MLflow's {@code /api/2.0/mlflow/} REST API: one request, no
 * retries, failures classified into the module's exception types.
 */
final class MlflowRestClient {

  /** Result of a request that may legitimately name a missing resource. */
  static final JsonNode NOT_FOUND = Json.MAPPER.nullNode();

  private final MlflowConfig config;
  private final HttpClient http;

  MlflowRestClient(MlflowConfig config) {
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            // Plain HTTP/1.1: MLflow's servers do not speak h2c, so an upgrade attempt only adds noise.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** GET {@code api/2.0/mlflow/<path>?query}; returns {@link #NOT_FOUND} for MLflow's 404. */
  JsonNode get(String path, Map<String, String> query) {
    StringJoiner joined = new StringJoiner("&");
    query.forEach(
        (k, v) ->
            joined.add(
                URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    String suffix = query.isEmpty() ? "" : "?" + joined;
    return send("GET " + path, request(path + suffix).GET().build());
  }

  /** POST a JSON body to {@code api/2.0/mlflow/<path>}. */
  JsonNode post(String path, JsonNode body) {
    byte[] bytes;
    try {
      bytes = Json.MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
    return send(
        "POST " + path,
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build());
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(config.trackingUri() + "/api/2.0/mlflow/" + pathAndQuery))
            .timeout(config.requestTimeout())
            .header("Accept", "application/json");
    if (config.token() != null) {
      builder.header("Authorization", "Bearer " + config.token());
    } else if (config.username() != null) {
      String pair = config.username() + ":" + (config.password() == null ? "" : config.password());
      builder.header(
          "Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }
    return builder;
  }

  private JsonNode send(String what, HttpRequest request) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new BackendUnavailableException(
          "cannot reach MLflow at " + config.trackingUri() + " (" + what + "): "
              + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendUnavailableException("interrupted during MLflow call " + what, e);
    }
    int status = response.statusCode();
    JsonNode body = parseOrNull(response.body());
    String errorCode = body != null && body.has("error_code") ? body.get("error_code").asText() : "";
    String message = body != null && body.has("message") ? body.get("message").asText() : abbreviate(response.body());
    String where = " (" + what + " at " + config.trackingUri() + ")";
    if (status >= 200 && status < 300) {
      if (body == null) {
        throw new BackendConfigurationException(
            "the endpoint answered HTTP " + status + " without JSON" + where
                + ": is MLFLOW_TRACKING_URI the MLflow server's base URL?");
      }
      return body;
    }
    if (status >= 500 || status == 429) {
      throw new BackendUnavailableException(
          "MLflow is temporarily unavailable: HTTP " + status + " " + errorCode + " " + message + where, null);
    }
    if (status == 401 || status == 403) {
      throw new BackendConfigurationException(
          "MLflow refused the credentials (HTTP " + status + ")" + where
              + ": set MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/PASSWORD. " + message);
    }
    if (status == 404 && "RESOURCE_DOES_NOT_EXIST".equals(errorCode)) {
      return NOT_FOUND;
    }
    if (status == 404) {
      throw new BackendConfigurationException(
          "no MLflow REST API at " + config.trackingUri() + " (HTTP 404 for " + what
              + "): check MLFLOW_TRACKING_URI");
    }
    throw new InvalidBackendRequestException(
        "MLflow rejected the request: HTTP " + status + " " + errorCode + ": " + message + where, null);
  }

  private static JsonNode parseOrNull(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      JsonNode node = Json.MAPPER.readTree(text);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "";
    }
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
  }
}
