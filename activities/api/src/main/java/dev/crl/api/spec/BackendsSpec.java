package dev.crl.api.spec;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where the run's state lives. Every backend defaults to its embedded implementation, so a run
 * needs no server; each one switches to a real server independently.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackendsSpec(
    TemporalBackend temporal,
    ObjectStoreBackend objectStore,
    VectorStoreBackend vectorStore,
    MetricsBackend metrics) {

  public BackendsSpec {
    temporal = temporal == null ? new TemporalBackend(null, null, null, null, null, null, null) : temporal;
    objectStore = objectStore == null ? new ObjectStoreBackend(null, null, null, null, null, null, null, null) : objectStore;
    vectorStore = vectorStore == null ? new VectorStoreBackend(null, null, null) : vectorStore;
    metrics = metrics == null ? new MetricsBackend(null, null, null) : metrics;
  }

  /** All embedded. */
  public static BackendsSpec defaults() {
    return new BackendsSpec(null, null, null, null);
  }

  /**
   * Temporal service.
   *
   * @param mode {@code embedded} (dev server or in-process server) or {@code cluster}
   * @param address host:port of a cluster frontend
   * @param namespace Temporal namespace
   * @param taskQueuePrefix prefix of the task queues (one queue per worker role)
   * @param tlsCert client certificate (PEM) for mTLS clusters
   * @param tlsKey client key (PEM) for mTLS clusters
   * @param tlsCa CA bundle (PEM) that signed the cluster's certificate
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TemporalBackend(
      String mode, String address, String namespace, String taskQueuePrefix,
      String tlsCert, String tlsKey, String tlsCa) {
    public TemporalBackend {
      mode = mode == null ? "embedded" : mode;
      namespace = namespace == null ? "default" : namespace;
      taskQueuePrefix = taskQueuePrefix == null ? "crl" : taskQueuePrefix;
    }
  }

  /**
   * Object store for checkpoints, trajectories, bank snapshots and reports.
   *
   * @param kind {@code local} (a directory) or {@code s3}
   * @param path directory of the local store; empty means {@code <run-dir>/store}
   * @param endpoint S3 endpoint URL
   * @param bucket S3 bucket
   * @param prefix key prefix inside the bucket
   * @param region S3 region
   * @param accessKey S3 access key (or {@code AWS_ACCESS_KEY_ID})
   * @param secretKey S3 secret key (or {@code AWS_SECRET_ACCESS_KEY})
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ObjectStoreBackend(
      String kind, String path, String endpoint, String bucket, String prefix, String region,
      String accessKey, String secretKey) {
    public ObjectStoreBackend {
      kind = kind == null ? "local" : kind;
      bucket = bucket == null ? "crl" : bucket;
      prefix = prefix == null ? "" : prefix;
      region = region == null ? "us-east-1" : region;
    }

    /** The spec as it may be logged: the secret key is masked. */
    public ObjectStoreBackend redacted() {
      return new ObjectStoreBackend(kind, path, endpoint, bucket, prefix, region, accessKey,
          secretKey == null ? null : "****");
    }
  }

  /**
   * Vector store for the experience bank.
   *
   * @param kind {@code embedded} (in-process HNSW graph), {@code exact} (in-process exact search)
   *     or {@code qdrant}
   * @param url Qdrant gRPC URL, e.g. {@code http://localhost:6334}
   * @param apiKey Qdrant API key, if the server requires one
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record VectorStoreBackend(String kind, String url, String apiKey) {
    public VectorStoreBackend {
      kind = kind == null ? "embedded" : kind;
    }
  }

  /**
   * Metrics sink.
   *
   * @param kind {@code local} (JSON lines in the run directory) or {@code mlflow}
   * @param trackingUri MLflow tracking URI (http or https)
   * @param experiment MLflow experiment name
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record MetricsBackend(String kind, String trackingUri, String experiment) {
    public MetricsBackend {
      kind = kind == null ? "local" : kind;
      experiment = experiment == null ? "crl" : experiment;
    }
  }
}
