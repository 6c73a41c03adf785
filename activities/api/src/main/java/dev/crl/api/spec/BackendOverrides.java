package dev.crl.api.spec;

import java.util.Map;

/**
 * Lets environment variables point a run at real servers without editing its spec. Each backend
 * switches independently; a variable that is unset or empty changes nothing.
 *
 * <ul>
 *   <li>{@code CRL_TEMPORAL_ADDRESS} (host:port), {@code CRL_TEMPORAL_NAMESPACE}: a Temporal cluster
 *   <li>{@code CRL_S3_ENDPOINT}, {@code CRL_S3_BUCKET}, {@code CRL_S3_PREFIX},
 *       {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}: S3 object store
 *   <li>{@code QDRANT_URL}, {@code QDRANT_API_KEY}: Qdrant vector store
 *   <li>{@code MLFLOW_TRACKING_URI}, {@code MLFLOW_EXPERIMENT_NAME}: MLflow metrics
 * </ul>
 */
public final class BackendOverrides {
  private BackendOverrides() {}

  /** Returns {@code spec} with the backends named by {@code env} switched on. */
  public static RunSpec apply(RunSpec spec, Map<String, String> env) {
    BackendsSpec b = spec.backends();

    BackendsSpec.TemporalBackend t = b.temporal();
    if (set(env, "CRL_TEMPORAL_ADDRESS")) {
      t = new BackendsSpec.TemporalBackend("cluster", env.get("CRL_TEMPORAL_ADDRESS"),
          or(env, "CRL_TEMPORAL_NAMESPACE", t.namespace()), t.taskQueuePrefix(),
          t.tlsCert(), t.tlsKey(), t.tlsCa());
    }

    BackendsSpec.ObjectStoreBackend o = b.objectStore();
    if (set(env, "CRL_S3_ENDPOINT")) {
      o = new BackendsSpec.ObjectStoreBackend("s3", o.path(), env.get("CRL_S3_ENDPOINT"),
          or(env, "CRL_S3_BUCKET", o.bucket()), or(env, "CRL_S3_PREFIX", o.prefix()), o.region(),
          o.accessKey(), o.secretKey());
    }
    if ("s3".equals(o.kind()) && (o.accessKey() == null || o.secretKey() == null)) {
      o = new BackendsSpec.ObjectStoreBackend(o.kind(), o.path(), o.endpoint(), o.bucket(),
          o.prefix(), o.region(), or(env, "AWS_ACCESS_KEY_ID", o.accessKey()),
          or(env, "AWS_SECRET_ACCESS_KEY", o.secretKey()));
    }

    BackendsSpec.VectorStoreBackend v = b.vectorStore();
    if (set(env, "QDRANT_URL")) {
      v = new BackendsSpec.VectorStoreBackend("qdrant", env.get("QDRANT_URL"),
          or(env, "QDRANT_API_KEY", v.apiKey()));
    }

    BackendsSpec.MetricsBackend m = b.metrics();
    if (set(env, "MLFLOW_TRACKING_URI")) {
      m = new BackendsSpec.MetricsBackend("mlflow", env.get("MLFLOW_TRACKING_URI"),
          or(env, "MLFLOW_EXPERIMENT_NAME", m.experiment()));
    }
    return spec.withBackends(new BackendsSpec(t, o, v, m));
  }

  private static boolean set(Map<String, String> env, String key) {
    String value = env.get(key);
    return value != null && !value.isBlank();
  }

  private static String or(Map<String, String> env, String key, String fallback) {
    return set(env, key) ? env.get(key) : fallback;
  }
}
