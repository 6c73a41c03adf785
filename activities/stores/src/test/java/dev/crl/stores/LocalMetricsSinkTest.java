package dev.crl.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalMetricsSinkTest extends MetricsSinkContract {

  @TempDir Path root;
  private LocalMetricsSink sink;

  @BeforeEach
  void open() {
    sink = new LocalMetricsSink(root);
  }

  @Override
  MetricsSink sink() {
    return sink;
  }

  private Path pointsFile() {
    return sink.runDirectory(runName).resolve(LocalMetricsSink.METRICS_DIR).resolve(LocalMetricsSink.POINTS_FILE);
  }

  @Test
  void readTakesTheRunDirectory() {
    String id = sink.startRun(runName, Map.of("p", "1"), Map.of());
    sink.logMetrics(id, 4, Map.of("success", 0.25));
    RunSnapshot run = LocalMetricsSink.read(root.resolve(runName));
    assertEquals(List.of(4L), steps(run, "success"));
    assertEquals("1", run.params().get("p"));
    assertThrows(ObjectNotFoundException.class, () -> LocalMetricsSink.read(root.resolve("no-such-run")));
  }

  @Test
  void aLineCutShortByACrashIsIgnoredAndRepairedByTheNextWriter() throws Exception {
    String id = sink.startRun(runName, Map.of(), Map.of());
    sink.logMetrics(id, 0, Map.of("reward", 1.0));
    sink.logMetrics(id, 1, Map.of("reward", 2.0));
    Files.write(pointsFile(), "{\"step\":2,\"timesta".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

    assertEquals(List.of(0L, 1L), steps(LocalMetricsSink.read(root.resolve(runName)), "reward"));

    LocalMetricsSink restarted = new LocalMetricsSink(root);
    restarted.logMetrics(id, 2, Map.of("reward", 3.0));
    assertEquals(List.of(1.0, 2.0, 3.0), values(restarted.readRun(id), "reward"));
    for (String line : Files.readAllLines(pointsFile())) {
      assertTrue(line.startsWith("{\"step\":") && line.endsWith("}}"), "unrepaired line: " + line);
    }
  }

  @Test
  void aCorruptCompleteLineIsAClearError() throws Exception {
    String id = sink.startRun(runName, Map.of(), Map.of());
    sink.logMetrics(id, 0, Map.of("reward", 1.0));
    Files.write(pointsFile(), "garbage\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    CorruptObjectException error = assertThrows(CorruptObjectException.class, () -> sink.readRun(id));
    assertTrue(error.getMessage().contains("garbage"), error.getMessage());
  }

  @Test
  void twoWritersOnOneRunNeverDuplicateAPoint() throws Exception {
    String id = sink.startRun(runName, Map.of(), Map.of());
    LocalMetricsSink other = new LocalMetricsSink(root);
    List<Thread> threads = new ArrayList<>();
    // Both "workers" log the same 40 steps, as a retried activity racing its original would.
    for (LocalMetricsSink writer : List.of(sink, other)) {
      Thread thread =
          new Thread(
              () -> {
                for (long step = 0; step < 40; step++) {
                  writer.logMetrics(id, step, Map.of("iteration_time", (double) step));
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertEquals(LongStream.range(0, 40).boxed().toList(), steps(sink.readRun(id), "iteration_time"));
  }

  @Test
  void theFactoryPicksMlflowOnlyWhenATrackingUriIsSet() {
    assertTrue(MetricsSinks.fromEnvironment(Map.of(), root) instanceof LocalMetricsSink);
    assertTrue(MetricsSinks.fromEnvironment(Map.of("MLFLOW_TRACKING_URI", " "), root) instanceof LocalMetricsSink);
    MetricsSink mlflow = MetricsSinks.fromEnvironment(Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:5999"), root);
    assertTrue(mlflow instanceof MlflowMetricsSink);
    assertEquals("crl", ((MlflowMetricsSink) mlflow).config().experimentName());
  }

  @Test
  void loggingToARunThatWasNeverStartedIsBadInput() {
    assertThrows(IllegalArgumentException.class, () -> sink.logMetrics("never-started", 0, Map.of("x", 1.0)));
  }
}
