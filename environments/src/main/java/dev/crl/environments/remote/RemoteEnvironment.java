package dev.crl.environments.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crl.environments.EnvironmentException;
import dev.crl.environments.Observation;
import dev.crl.environments.StepResult;
import dev.crl.environments.TextEnvironment;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A client for an environment served over HTTP with the AgentGym protocol: {@code POST /create} gives
 * an id, {@code POST /reset {id, seed}}, {@code POST /step {id, action}} answers observation, reward,
 * done and the available actions; {@code GET /observation} and {@code GET /available_actions} read
 * the current state; {@code POST /close} frees it.
 *
 * <p>Every request has a timeout. Requests that are safe to repeat are retried a bounded number of
 * times with exponential backoff on connection failures, timeouts and 5xx answers; a step is retried
 * only when it provably never reached the server (connection refused) or the server answered 503,
 * so an action is never applied twice. Anything else fails with an {@link EnvironmentException}
 * naming the URL and what was wrong.
 */
public final class RemoteEnvironment implements TextEnvironment {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final int maxRetries;
  private final Duration backoff;
  private final int maxSteps;
  private final String id;
  private String sessionId;
  private String goal = "";
  private int steps;

  private RemoteEnvironment(Builder b) {
    String s = b.baseUri.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    // HTTP/1.1 without the h2c upgrade attempt: AgentGym servers are plain HTTP/1.x services.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(b.connectTimeout).build();
    this.requestTimeout = b.requestTimeout;
    this.maxRetries = b.maxRetries;
    this.backoff = b.backoff;
    this.maxSteps = b.maxSteps;
    this.id = "remote:" + b.baseUri;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder: {@code setBaseUri} is required, everything else optional. */
  public static final class Builder {
    private URI baseUri;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private int maxRetries = 3;
    private Duration backoff = Duration.ofMillis(200);
    private int maxSteps = 30;

    public Builder setBaseUri(URI uri) {
      this.baseUri = uri;
      return this;
    }

    public Builder optConnectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    public Builder optRequestTimeout(Duration d) {
      this.requestTimeout = d;
      return this;
    }

    /** Retries after the first attempt; 0 disables retrying. */
    public Builder optMaxRetries(int n) {
      this.maxRetries = n;
      return this;
    }

    public Builder optBackoff(Duration d) {
      this.backoff = d;
      return this;
    }

    /** Client-side step limit: the step reaching it is marked truncated. */
    public Builder optMaxSteps(int n) {
      this.maxSteps = n;
      return this;
    }

    public RemoteEnvironment build() {
      if (baseUri == null) {
        throw new EnvironmentException("RemoteEnvironment: setBaseUri is required");
      }
      if (maxRetries < 0 || maxSteps < 1) {
        throw new EnvironmentException("RemoteEnvironment: maxRetries must be >= 0, maxSteps >= 1");
      }
      return new RemoteEnvironment(this);
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int maxSteps() {
    return maxSteps;
  }

  @Override
  public Observation reset(long seed) {
    if (sessionId == null) {
      JsonNode created = call("POST", "create", JSON.createObjectNode(), true);
      JsonNode idNode = created.isObject() ? created.get("id") : created;
      if (idNode == null || !(idNode.isNumber() || idNode.isTextual())) {
        throw garbage("create", "no environment id in " + abbreviate(created));
      }
      sessionId = idNode.asText();
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("id", sessionId);
    body.put("seed", seed);
    body.put("data_idx", seed);
    JsonNode r = call("POST", "reset", body, true);
    steps = 0;
    String text = r.isTextual() ? r.asText() : textField(r, "observation", "reset");
    goal = r.isObject() && r.hasNonNull("goal") ? r.get("goal").asText() : "";
    List<String> actions = r.isObject() && r.has("available_actions")
        ? stringList(r.get("available_actions"), "reset") : availableActions();
    return new Observation(goal, text, actions);
  }

  @Override
  public StepResult step(String action) {
    if (sessionId == null) {
      throw new EnvironmentException(id + ": step() called before reset()");
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("id", sessionId);
    body.put("action", action == null ? "" : action);
    JsonNode r = call("POST", "step", body, false);
    if (!r.isObject()) {
      throw garbage("step", "expected a JSON object, got " + abbreviate(r));
    }
    steps++;
    String text = textField(r, "observation", "step");
    JsonNode rewardNode = r.get("reward");
    if (rewardNode == null || !rewardNode.isNumber()) {
      throw garbage("step", "missing numeric 'reward' in " + abbreviate(r));
    }
    JsonNode doneNode = r.get("done");
    if (doneNode == null || !doneNode.isBoolean()) {
      throw garbage("step", "missing boolean 'done' in " + abbreviate(r));
    }
    Map<String, String> info = new HashMap<>();
    JsonNode infoNode = r.get("info");
    if (infoNode != null && infoNode.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = infoNode.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        info.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
            : e.getValue().toString());
      }
    }
    double reward = rewardNode.asDouble();
    boolean done = doneNode.asBoolean();
    boolean serverTruncated = r.path("truncated").asBoolean(false);
    boolean success = r.has("success") ? r.get("success").asBoolean() : done && reward >= 1.0;
    boolean invalid = info.containsKey("invalid_action") || r.path("invalid_action").asBoolean(false);
    boolean truncated = serverTruncated || (!done && steps >= maxSteps);
    boolean terminated = done && !serverTruncated;
    List<String> actions = r.has("available_actions")
        ? stringList(r.get("available_actions"), "step") : List.of();
    return new StepResult(new Observation(goal, text, actions), reward, terminated, truncated,
        invalid, success, info);
  }

  /** The current observation text from {@code GET /observation}. */
  public String observation() {
    JsonNode r = call("GET", "observation?id=" + sessionId, null, true);
    return r.isTextual() ? r.asText() : textField(r, "observation", "observation");
  }

  /** The current available actions from {@code GET /available_actions}. */
  public List<String> availableActions() {
    JsonNode r = call("GET", "available_actions?id=" + sessionId, null, true);
    return stringList(r.isObject() ? r.get("available_actions") : r, "available_actions");
  }

  @Override
  public void close() {
    if (sessionId == null) {
      return;
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("id", sessionId);
    try {
      call("POST", "close", body, false);
    } catch (EnvironmentException e) {
      // Closing is best effort: a server that is gone has freed the session anyway.
    } finally {
      sessionId = null;
    }
  }

  private JsonNode call(String method, String path, JsonNode body, boolean idempotent) {
    URI uri = base.resolve(path);
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(requestTimeout)
        .header("Content-Type", "application/json");
    if (method.equals("POST")) {
      rb.POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    } else {
      rb.GET();
    }
    HttpRequest request = rb.build();
    EnvironmentException last = null;
    for (int attempt = 0; attempt <= maxRetries; attempt++) {
      if (attempt > 0) {
        sleep(backoff.multipliedBy(1L << Math.min(attempt - 1, 10)));
      }
      HttpResponse<String> response;
      try {
        response = http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (ConnectException e) {
        last = new EnvironmentException("Remote environment at " + uri
            + " is not reachable (connection refused); is the server running?", e);
        continue;
      } catch (HttpTimeoutException e) {
        last = new EnvironmentException("Remote environment at " + uri + " did not answer within "
            + requestTimeout.toMillis() + " ms", e);
        if (!idempotent) {
          throw last;
        }
        continue;
      } catch (IOException e) {
        last = new EnvironmentException("I/O error talking to remote environment at " + uri + ": "
            + e.getMessage(), e);
        if (!idempotent) {
          throw last;
        }
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EnvironmentException("Interrupted while calling " + uri, e);
      }
      int status = response.statusCode();
      if (status >= 500) {
        last = new EnvironmentException("Remote environment at " + uri + " answered HTTP " + status
            + ": " + abbreviate(response.body()));
        if (!idempotent && status != 503) {
          throw last;
        }
        continue;
      }
      if (status >= 400) {
        throw new EnvironmentException("Remote environment at " + uri + " rejected the request"
            + " with HTTP " + status + ": " + abbreviate(response.body()));
      }
      try {
        return JSON.readTree(response.body());
      } catch (IOException e) {
        throw garbage(path, "the answer is not JSON: " + abbreviate(response.body()));
      }
    }
    throw new EnvironmentException(last.getMessage() + " (gave up after " + (maxRetries + 1)
        + " attempts)", last.getCause());
  }

  private EnvironmentException garbage(String what, String detail) {
    return new EnvironmentException("Remote environment at " + base + " answered garbage to /"
        + what + ": " + detail);
  }

  private String textField(JsonNode r, String field, String what) {
    JsonNode n = r.get(field);
    if (n == null || !n.isTextual()) {
      throw garbage(what, "missing string '" + field + "' in " + abbreviate(r));
    }
    return n.asText();
  }

  private List<String> stringList(JsonNode n, String what) {
    if (n == null || !n.isArray()) {
      throw garbage(what, "'available_actions' is not a list: " + abbreviate(n));
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : n) {
      out.add(e.asText());
    }
    return out;
  }

  private static String abbreviate(Object o) {
    String s = String.valueOf(o);
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("Interrupted while waiting to retry", e);
    }
  }
}
