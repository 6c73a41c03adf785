package dev.crl.stores;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of an {@link MlflowMetricsSink}. Build with {@link #builder()} ({@code setX} required,
 * {@code optX} optional) or {@link #fromEnvironment(Map)}.
 *
 * @param trackingUri base URL of the tracking server, http or https
 * @param experimentName experiment the runs go to; created when missing
 * @param retryWindow how long one call keeps retrying transient faults before it throws {@link
 *     BackendUnavailableException}; this is what lets a call ride out a server restart
 * @param connectTimeout TCP connect timeout of one request
 * @param requestTimeout timeout of one HTTP exchange
 * @param token bearer token ({@code MLFLOW_TRACKING_TOKEN}), or null
 * @param username basic-auth user ({@code MLFLOW_TRACKING_USERNAME}), or null
 * @param password basic-auth password ({@code MLFLOW_TRACKING_PASSWORD}), or null
 */
public record MlflowConfig(
    URI trackingUri,
    String experimentName,
    Duration retryWindow,
    Duration connectTimeout,
    Duration requestTimeout,
    String token,
    String username,
    String password) {

  public MlflowConfig {
    Objects.requireNonNull(trackingUri, "trackingUri");
    Objects.requireNonNull(experimentName, "experimentName");
    Objects.requireNonNull(retryWindow, "retryWindow");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The configuration named by {@code MLFLOW_TRACKING_URI} (plus {@code MLFLOW_EXPERIMENT_NAME},
   * {@code MLFLOW_TRACKING_TOKEN}, {@code MLFLOW_TRACKING_USERNAME}, {@code
   * MLFLOW_TRACKING_PASSWORD}), or empty when that variable is unset or blank.
   */
  public static Optional<MlflowConfig> fromEnvironment(Map<String, String> env) {
    String uri = env.get("MLFLOW_TRACKING_URI");
    if (uri == null || uri.isBlank()) {
      return Optional.empty();
    }
    Builder builder = builder().setTrackingUri(uri);
    if (env.get("MLFLOW_EXPERIMENT_NAME") != null && !env.get("MLFLOW_EXPERIMENT_NAME").isBlank()) {
      builder.optExperimentName(env.get("MLFLOW_EXPERIMENT_NAME"));
    }
    builder.optToken(env.get("MLFLOW_TRACKING_TOKEN"));
    builder.optBasicAuth(env.get("MLFLOW_TRACKING_USERNAME"), env.get("MLFLOW_TRACKING_PASSWORD"));
    return Optional.of(builder.build());
  }

  /** Never prints secrets. */
  @Override
  public String toString() {
    return "MlflowConfig[trackingUri=" + trackingUri + ", experimentName=" + experimentName
        + ", retryWindow=" + retryWindow + ", auth=" + (token != null ? "token" : username != null ? "basic" : "none")
        + "]";
  }

  /** Builder of {@link MlflowConfig}. */
  public static final class Builder {
    private String trackingUri;
    private String experimentName = "crl";
    private Duration retryWindow = Duration.ofSeconds(90);
    private Duration connectTimeout = Duration.ofSeconds(3);
    private Duration requestTimeout = Duration.ofSeconds(20);
    private String token;
    private String username;
    private String password;

    private Builder() {}

    public Builder setTrackingUri(String trackingUri) {
      this.trackingUri = trackingUri;
      return this;
    }

    public Builder optExperimentName(String experimentName) {
      this.experimentName = experimentName;
      return this;
    }

    public Builder optRetryWindow(Duration retryWindow) {
      this.retryWindow = retryWindow;
      return this;
    }

    public Builder optConnectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder optRequestTimeout(Duration requestTimeout) {
      this.requestTimeout = requestTimeout;
      return this;
    }

    public Builder optToken(String token) {
      this.token = token == null || token.isBlank() ? null : token;
      return this;
    }

    public Builder optBasicAuth(String username, String password) {
      this.username = username == null || username.isBlank() ? null : username;
      this.password = password;
      return this;
    }

    /**
     * @throws BackendConfigurationException when the URI is missing, malformed or not http(s)
     */
    public MlflowConfig build() {
      if (trackingUri == null || trackingUri.isBlank()) {
        throw new BackendConfigurationException("MLflow tracking URI is required (e.g. http://127.0.0.1:5000)");
      }
      URI uri;
      try {
        uri = URI.create(trackingUri.strip());
      } catch (IllegalArgumentException e) {
        throw new BackendConfigurationException("malformed MLflow tracking URI '" + trackingUri + "'", e);
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new BackendConfigurationException(
            "MLflow tracking URI must be http(s)://host[:port][/path], got '" + trackingUri
                + "' (file stores and databricks URIs are not supported by the REST sink)");
      }
      String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
      URI base = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + path);
      if (experimentName == null || experimentName.isBlank()) {
        throw new BackendConfigurationException("MLflow experiment name must not be blank");
      }
      return new MlflowConfig(
          base, experimentName, retryWindow, connectTimeout, requestTimeout, token, username, password);
    }
  }
}
