package dev.crl.stores;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of an {@link S3ObjectStore}. Build with {@link #builder()}: {@code setX} values are
 * required, {@code optX} values optional.
 *
 * @param endpoint base URL of the S3 API, e.g. {@code http://127.0.0.1:9000}
 * @param bucket bucket name; created on first use when missing and {@code createBucket} is true
 * @param prefix key prefix inside the bucket ({@code ""} or ending with '/'), so several
 *     deployments can share one bucket
 * @param accessKey access key id; from {@code AWS_ACCESS_KEY_ID} when not given
 * @param secretKey secret key; from {@code AWS_SECRET_ACCESS_KEY} when not given
 * @param region signing region (SigV4); {@code us-east-1} by default, as MinIO and S3Proxy expect
 * @param createBucket whether a missing bucket is created (needs the permission to do so)
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout read and write timeout of one HTTP exchange
 */
public record S3StoreConfig(
    String endpoint,
    String bucket,
    String prefix,
    String accessKey,
    String secretKey,
    String region,
    boolean createBucket,
    Duration connectTimeout,
    Duration requestTimeout) {

  public S3StoreConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Never prints the secret key. */
  @Override
  public String toString() {
    return "S3StoreConfig[endpoint="
        + endpoint
        + ", bucket="
        + bucket
        + ", prefix="
        + prefix
        + ", accessKey="
        + accessKey
        + ", region="
        + region
        + ", createBucket="
        + createBucket
        + "]";
  }

  /** Builder; {@link #build()} resolves credentials from the environment when none were given. */
  public static final class Builder {
    private String endpoint;
    private String bucket;
    private String prefix = "";
    private String accessKey;
    private String secretKey;
    private String region = "us-east-1";
    private boolean createBucket = true;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(60);
    private Map<String, String> environment = System.getenv();

    private Builder() {}

    public Builder setEndpoint(String endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    public Builder setBucket(String bucket) {
      this.bucket = bucket;
      return this;
    }

    public Builder optPrefix(String prefix) {
      this.prefix = prefix == null ? "" : prefix;
      return this;
    }

    public Builder optCredentials(String accessKey, String secretKey) {
      this.accessKey = accessKey;
      this.secretKey = secretKey;
      return this;
    }

    public Builder optRegion(String region) {
      this.region = region;
      return this;
    }

    public Builder optCreateBucket(boolean createBucket) {
      this.createBucket = createBucket;
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

    /** Where {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} are looked up; for tests. */
    public Builder optEnvironment(Map<String, String> environment) {
      this.environment = Map.copyOf(environment);
      return this;
    }

    /**
     * @throws BackendConfigurationException when a required value is missing or malformed
     */
    public S3StoreConfig build() {
      if (endpoint == null || endpoint.isBlank()) {
        throw new BackendConfigurationException("S3 endpoint is required (e.g. http://127.0.0.1:9000)");
      }
      if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]")) {
        throw new BackendConfigurationException(
            "S3 bucket name must be 3-63 lowercase letters, digits, '.' or '-': '" + bucket + "'");
      }
      String normalizedPrefix = prefix.strip();
      while (normalizedPrefix.startsWith("/")) {
        normalizedPrefix = normalizedPrefix.substring(1);
      }
      if (!normalizedPrefix.isEmpty() && !normalizedPrefix.endsWith("/")) {
        normalizedPrefix = normalizedPrefix + "/";
      }
      if (!normalizedPrefix.isEmpty()) {
        try {
          ObjectKeys.validatePrefix(normalizedPrefix);
        } catch (IllegalArgumentException e) {
          throw new BackendConfigurationException("bad S3 key prefix: " + e.getMessage(), e);
        }
      }
      String access = accessKey != null ? accessKey : environment.get("AWS_ACCESS_KEY_ID");
      String secret = secretKey != null ? secretKey : environment.get("AWS_SECRET_ACCESS_KEY");
      if (access == null || access.isBlank() || secret == null || secret.isBlank()) {
        throw new BackendConfigurationException(
            "S3 credentials missing: configure an access and secret key or set AWS_ACCESS_KEY_ID"
                + " and AWS_SECRET_ACCESS_KEY");
      }
      return new S3StoreConfig(
          endpoint.strip(),
          bucket,
          normalizedPrefix,
          access,
          secret,
          region,
          createBucket,
          connectTimeout,
          requestTimeout);
    }
  }
}
