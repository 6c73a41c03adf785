package dev.crl.activities;

import dev.crl.api.spec.BackendsSpec;
import dev.crl.api.spec.RunSpec;
import dev.crl.api.spec.RunSpecLoader;
import dev.crl.api.spec.SpecContext;
import dev.crl.environments.EnvironmentRegistry;
import dev.crl.environments.TaskMixtures;
import dev.crl.activities.tracking.ReportExport;
import dev.crl.stores.LocalMetricsSink;
import dev.crl.stores.LocalObjectStore;
import dev.crl.stores.MetricsSink;
import dev.crl.stores.MlflowConfig;
import dev.crl.stores.MlflowMetricsSink;
import dev.crl.stores.ObjectKeys;
import dev.crl.stores.ObjectStore;
import dev.crl.stores.S3ObjectStore;
import dev.crl.stores.S3StoreConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a worker process shares between its activities: the backends (object store, metrics
 * sink, vector-store settings) and one {@link RunContext} per run it serves (the run's spec, its
 * cached models and, on experience workers, its bank).
 */
public final class WorkerResources implements AutoCloseable {
  private final BackendsSpec backends;
  private final ObjectStore objectStore;
  private final MetricsSink metrics;
  private final Path scratch;
  private final Map<String, RunContext> runs = new ConcurrentHashMap<>();

  private WorkerResources(BackendsSpec backends, ObjectStore objectStore, MetricsSink metrics, Path scratch) {
    this.backends = backends;
    this.objectStore = objectStore;
    this.metrics = metrics;
    this.scratch = scratch;
  }

  /**
   * Opens the backends: S3 when configured, else a local directory; MLflow when configured, else
   * local metric files.
   *
   * @param localStore the local object store's root (used when no S3 endpoint is configured)
   * @param localMetrics the local metrics root (used when MLflow is not configured)
   */
  public static WorkerResources open(BackendsSpec backends, Path localStore, Path localMetrics) {
    BackendsSpec.ObjectStoreBackend o = backends.objectStore();
    ObjectStore store;
    if ("s3".equals(o.kind())) {
      S3StoreConfig.Builder s3 = S3StoreConfig.builder().setEndpoint(o.endpoint()).setBucket(o.bucket())
          .optPrefix(o.prefix()).optRegion(o.region());
      if (o.accessKey() != null && o.secretKey() != null) {
        s3.optCredentials(o.accessKey(), o.secretKey());
      }
      store = new S3ObjectStore(s3.build());
    } else {
      store = new LocalObjectStore(o.path() != null ? Path.of(o.path()) : localStore);
    }
    BackendsSpec.MetricsBackend m = backends.metrics();
    MetricsSink sink = "mlflow".equals(m.kind())
        ? new MlflowMetricsSink(MlflowConfig.builder().setTrackingUri(m.trackingUri())
            .optExperimentName(m.experiment()).build())
        : new LocalMetricsSink(localMetrics);
    try {
      Path scratch = Files.createTempDirectory("crl-worker-");
      return new WorkerResources(backends, store, sink, scratch);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create a scratch directory", e);
    }
  }

  public ObjectStore objectStore() {
    return objectStore;
  }

  public MetricsSink metrics() {
    return metrics;
  }

  public BackendsSpec backends() {
    return backends;
  }

  /** A local folder for this worker's temporary files (downloaded checkpoints and the like). */
  public Path scratch() {
    return scratch;
  }

  /** Stores a run's resolved spec; activities on any worker then find it by run id. */
  public void storeSpec(String runId, RunSpec spec) {
    objectStore.put(specKey(runId), RunSpecLoader.toYaml(spec).getBytes(StandardCharsets.UTF_8));
  }

  /** The context of a run, loading its spec from the object store on first use. */
  public RunContext run(String runId) {
    return runs.computeIfAbsent(runId, id -> new RunContext(id, loadSpec(id), this));
  }

  /** The context of a run whose spec the caller already has (the run's first activity). */
  public RunContext run(String runId, RunSpec spec) {
    return runs.computeIfAbsent(runId, id -> new RunContext(id, spec, this));
  }

  private RunSpec loadSpec(String runId) {
    String yaml = new String(objectStore.get(specKey(runId)), StandardCharsets.UTF_8);
    return specLoader().parse(yaml, "stored spec of run " + runId);
  }

  /** A spec loader that knows this build's environments and task mixtures. */
  public static RunSpecLoader specLoader() {
    return new RunSpecLoader(new SpecContext(EnvironmentRegistry.ids(), TaskMixtures::get, TaskMixtures.names()));
  }

  private static String specKey(String runId) {
    return ObjectKeys.run(runId).prefix() + "spec.yaml";
  }

  /** Copies the run's report and curves from the object store into {@code dir}; returns report.json. */
  public Path exportReport(String runId, Path dir) {
    return ReportExport.export(objectStore, runId, dir);
  }

  public String describeObjectStore() {
    return objectStore.toString();
  }

  public String describeVectorStore() {
    BackendsSpec.VectorStoreBackend v = backends.vectorStore();
    return switch (v.kind()) {
      case "qdrant" -> "Qdrant " + v.url();
      case "exact" -> "exact (in-process, snapshotted to the object store)";
      default -> "embedded (in-process HNSW graph, snapshotted to the object store)";
    };
  }

  public String describeMetrics() {
    BackendsSpec.MetricsBackend m = backends.metrics();
    return "mlflow".equals(m.kind()) ? "MLflow " + m.trackingUri() + " experiment " + m.experiment()
        : "local files";
  }

  @Override
  public void close() {
    runs.values().forEach(RunContext::close);
    runs.clear();
    metrics.close();
    objectStore.close();
  }
}
