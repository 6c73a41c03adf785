package dev.crl.stores;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speed of the stores on this machine; not a test (it asserts nothing) and skipped unless
 * {@code -Dcrl.bench=true}:
 *
 * <pre>
 * mvn -B -q -o -pl activities/stores test -Dtest=StoresBenchmark -Dcrl.bench=true
 * # add an external S3 server (MinIO built from the Go module proxy, start-s3proxy.sh):
 * CRL_S3_ENDPOINT=http://127.0.0.1:9417 AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... mvn ... (same)
 * </pre>
 */
class StoresBenchmark {

  @TempDir Path dir;

  private static final int[][] SIZES = {{64 * 1024, 40}, {1024 * 1024, 20}, {16 * 1024 * 1024, 3}};

  @Test
  void objectStoresAndMetricSinks() throws Exception {
    assumeTrue(Boolean.getBoolean("crl.bench"), "benchmark: run with -Dcrl.bench=true");
    StringBuilder report = new StringBuilder();
    report.append("| store | object size | put median ms | get median ms | put MB/s | get MB/s |\n");
    report.append("|---|---|---|---|---|---|\n");
    try (LocalObjectStore local = new LocalObjectStore(dir.resolve("local"))) {
      benchObjects("local directory", local, report);
    }
    try (S3ProxyServer proxy = new S3ProxyServer(Files.createDirectories(dir.resolve("s3proxy")));
        S3ObjectStore s3 = new S3ObjectStore(S3ObjectStoreTest.config(proxy.endpoint(), "bench").build())) {
      benchObjects("S3Proxy (in-process, MinIO client)", s3, report);
    }
    String external = System.getenv("CRL_S3_ENDPOINT");
    if (external != null && !external.isBlank()) {
      try (S3ObjectStore s3 =
          new S3ObjectStore(
              S3StoreConfig.builder().setEndpoint(external).setBucket("bench").optPrefix("bench-" + UUID.randomUUID()).build())) {
        benchObjects("external S3 " + external, s3, report);
      }
    }

    report.append("\n| sink | logMetrics (40 keys) median ms | repeated step (no-op) median ms | readRun (40 keys x 30 steps) ms |\n");
    report.append("|---|---|---|---|\n");
    try (LocalMetricsSink local = new LocalMetricsSink(dir.resolve("runs"))) {
      benchSink("local files", local, report);
    }
    Path mlflow = TestSupport.repoRoot().resolve(".crl-tools/venv/bin/mlflow");
    if (Files.isExecutable(mlflow)) {
      try (MlflowServer server = new MlflowServer(mlflow, Files.createDirectories(dir.resolve("mlflow")));
          MlflowMetricsSink sink = new MlflowMetricsSink(MlflowMetricsSinkTest.config(server.url()).build())) {
        benchSink("MLflow REST (SQLite, 1 worker)", sink, report);
      }
    }
    System.out.println("\n" + report);
  }

  private static void benchObjects(String name, ObjectStore store, StringBuilder report) {
    Random random = new Random(1);
    for (int[] size : SIZES) {
      byte[] data = new byte[size[0]];
      random.nextBytes(data);
      List<Double> puts = new ArrayList<>();
      List<Double> gets = new ArrayList<>();
      store.put("warm-up", data);
      store.get("warm-up");
      for (int i = 0; i < size[1]; i++) {
        String key = "bench/" + size[0] + "/obj-" + i;
        long t0 = System.nanoTime();
        store.put(key, data);
        long t1 = System.nanoTime();
        store.get(key);
        long t2 = System.nanoTime();
        puts.add((t1 - t0) / 1e6);
        gets.add((t2 - t1) / 1e6);
      }
      report.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.1f | %.1f | %.0f | %.0f |%n",
              name,
              human(size[0]),
              median(puts),
              median(gets),
              throughput(size[0], puts),
              throughput(size[0], gets)));
    }
  }

  private static void benchSink(String name, MetricsSink sink, StringBuilder report) {
    String id = sink.startRun("bench-" + UUID.randomUUID().toString().substring(0, 8), Map.of(), Map.of());
    List<Double> logs = new ArrayList<>();
    List<Double> repeats = new ArrayList<>();
    for (int step = 0; step < 30; step++) {
      Map<String, Double> metrics = new LinkedHashMap<>();
      for (int k = 0; k < 40; k++) {
        metrics.put("metric/" + k, step * 0.01 + k);
      }
      long t0 = System.nanoTime();
      sink.logMetrics(id, step, metrics);
      long t1 = System.nanoTime();
      sink.logMetrics(id, step, metrics);
      long t2 = System.nanoTime();
      logs.add((t1 - t0) / 1e6);
      repeats.add((t2 - t1) / 1e6);
    }
    long t0 = System.nanoTime();
    RunSnapshot run = sink.readRun(id);
    double readMs = (System.nanoTime() - t0) / 1e6;
    if (run.series("metric/0").size() != 30) {
      throw new IllegalStateException("benchmark run lost or duplicated points: " + run.series("metric/0").size());
    }
    report.append(
        String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.0f |%n", name, median(logs), median(repeats), readMs));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static double throughput(int bytes, List<Double> millis) {
    double total = millis.stream().mapToDouble(Double::doubleValue).sum();
    return bytes * (double) millis.size() / (1024 * 1024) / (total / 1000);
  }

  private static String human(int bytes) {
    return bytes >= 1024 * 1024 ? bytes / (1024 * 1024) + " MiB" : bytes / 1024 + " KiB";
  }
}
