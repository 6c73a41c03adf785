package dev.crl.stores;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link MetricsSink} that writes JSON files under {@code <root>/<runName>/metrics/}: the
 * embedded default, rendered by {@code crl runs show}.
 *
 * <ul>
 *   <li>{@code run.json}: name, status, start and end time, params, tags. Rewritten atomically
 *       (temporary file and rename).
 *   <li>{@code metrics.jsonl}: one line per {@link #logMetrics} call, {@code {"step": 12,
 *       "timestamp": ..., "metrics": {"reward": 0.5, ...}}}. Only appended to, and forced to disk
 *       after each append.
 * </ul>
 *
 * <p>Every change happens under a file lock (and a JVM-wide monitor), so several processes may
 * log to the same run, e.g. a worker restarted after {@code kill -9}. A line cut short by a crash
 * has no trailing newline; readers ignore it and the next writer truncates it away.
 */
public final class LocalMetricsSink implements MetricsSink {

  /** Sub-directory of a run directory that holds this sink's files. */
  public static final String METRICS_DIR = "metrics";

  static final String RUN_FILE = "run.json";
  static final String POINTS_FILE = "metrics.jsonl";
  private static final String LOCK_FILE = ".lock";

  /** FileLock is per process; this map serialises threads of one JVM on the same lock file. */
  private static final Map<Path, Object> JVM_MONITORS = new ConcurrentHashMap<>();

  private final Path root;
  private final Map<String, PointIndex> indexes = new HashMap<>();

  /** Runs live in {@code root/<runName>}; the root is created when needed. */
  public LocalMetricsSink(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The run directory of a run name (its files are in the {@value #METRICS_DIR} sub-directory). */
  public Path runDirectory(String runName) {
    return root.resolve(MetricKeys.validateRunName(runName));
  }

  @Override
  public String startRun(String runName, Map<String, String> params, Map<String, String> tags) {
    params.keySet().forEach(k -> MetricKeys.validateKey("param", k));
    tags.keySet().forEach(k -> MetricKeys.validateKey("tag", k));
    Path dir = metricsDir(runName);
    withLock(
        dir,
        () -> {
          LocalRunFile existing = readRunFileOrNull(dir);
          Map<String, String> mergedParams = new TreeMap<>();
          Map<String, String> mergedTags = new TreeMap<>();
          long start = System.currentTimeMillis();
          if (existing != null) {
            mergedParams.putAll(existing.params());
            mergedTags.putAll(existing.tags());
            start = existing.startTime();
          }
          for (Map.Entry<String, String> param : params.entrySet()) {
            String old = mergedParams.putIfAbsent(param.getKey(), param.getValue());
            if (old != null && !old.equals(param.getValue())) {
              mergedParams.put(param.getKey(), old);
              mergedTags.put("crl.param_changed." + param.getKey(), param.getValue());
            }
          }
          mergedTags.putAll(tags);
          writeRunFile(
              dir, new LocalRunFile(runName, RunStatus.RUNNING, start, null, mergedParams, mergedTags));
          return null;
        });
    return runName;
  }

  @Override
  public void logMetrics(String runId, long step, Map<String, Double> metrics) {
    MetricKeys.validateStep(step);
    MetricKeys.validateMetrics(metrics);
    Path dir = existingRun(runId);
    withLock(
        dir,
        () -> {
          PointIndex index = refreshIndex(runId, dir);
          Map<String, Double> fresh = new TreeMap<>();
          for (Map.Entry<String, Double> metric : metrics.entrySet()) {
            if (!index.contains(metric.getKey(), step)) {
              fresh.put(metric.getKey(), metric.getValue());
            }
          }
          if (!fresh.isEmpty()) {
            append(dir, index, step, fresh);
          }
          return null;
        });
  }

  @Override
  public void setTags(String runId, Map<String, String> tags) {
    tags.keySet().forEach(k -> MetricKeys.validateKey("tag", k));
    Path dir = existingRun(runId);
    withLock(
        dir,
        () -> {
          LocalRunFile run = readRunFile(dir);
          Map<String, String> merged = new TreeMap<>(run.tags());
          merged.putAll(tags);
          writeRunFile(
              dir,
              new LocalRunFile(run.runName(), run.status(), run.startTime(), run.endTime(), run.params(), merged));
          return null;
        });
  }

  @Override
  public void endRun(String runId, RunStatus status) {
    Path dir = existingRun(runId);
    withLock(
        dir,
        () -> {
          LocalRunFile run = readRunFile(dir);
          writeRunFile(
              dir,
              new LocalRunFile(
                  run.runName(), status, run.startTime(), System.currentTimeMillis(), run.params(), run.tags()));
          return null;
        });
  }

  @Override
  public RunSnapshot readRun(String runId) {
    return read(runDirectory(runId));
  }

  /**
   * Reads a run directory written by this sink (the lead's {@code crl runs show} entry point).
   *
   * @param runDir the run directory, i.e. {@code <root>/<runName>}, not its metrics sub-directory
   * @throws ObjectNotFoundException when the directory holds no run
   * @throws CorruptObjectException when a complete line of the metrics file is not valid JSON
   */
  public static RunSnapshot read(Path runDir) {
    Path dir = runDir.resolve(METRICS_DIR);
    LocalRunFile run = readRunFile(dir);
    Map<String, List<MetricPoint>> series = new TreeMap<>();
    try {
      byte[] bytes = Files.readAllBytes(dir.resolve(POINTS_FILE));
      forEachCompleteLine(
          dir,
          bytes,
          0,
          (step, timestamp, values) ->
              values.forEach(
                  (key, value) ->
                      series.computeIfAbsent(key, k -> new ArrayList<>())
                          .add(new MetricPoint(step, value, timestamp))));
    } catch (NoSuchFileException e) {
      // A run that has not logged metrics yet.
    } catch (IOException e) {
      throw new BackendUnavailableException("cannot read metrics of " + runDir + ": " + e.getMessage(), e);
    }
    Map<String, List<MetricPoint>> sorted = new TreeMap<>();
    series.forEach(
        (key, points) -> {
          points.sort(Comparator.comparingLong(MetricPoint::step));
          sorted.put(key, List.copyOf(points));
        });
    return new RunSnapshot(run.runName(), run.runName(), run.status(), run.params(), run.tags(), sorted);
  }

  // ---------------------------------------------------------------------------------------------

  private Path metricsDir(String runName) {
    return runDirectory(runName).resolve(METRICS_DIR);
  }

  private Path existingRun(String runId) {
    Path dir = metricsDir(runId);
    if (!Files.isRegularFile(dir.resolve(RUN_FILE))) {
      throw new IllegalArgumentException("unknown run '" + runId + "': call startRun first (no " + dir.resolve(RUN_FILE) + ")");
    }
    return dir;
  }

  @FunctionalInterface
  private interface LockedAction<T> {
    T run() throws IOException;
  }

  private static <T> T withLock(Path dir, LockedAction<T> action) {
    try {
      Files.createDirectories(dir);
      Path lockPath = dir.resolve(LOCK_FILE);
      Object monitor = JVM_MONITORS.computeIfAbsent(lockPath, p -> new Object());
      synchronized (monitor) {
        try (FileChannel channel =
                FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock ignored = channel.lock()) {
          return action.run();
        }
      }
    } catch (IOException e) {
      throw new BackendUnavailableException("cannot update metrics in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Catches up with lines other writers appended since this instance last looked. */
  private PointIndex refreshIndex(String runId, Path dir) throws IOException {
    PointIndex index;
    synchronized (indexes) {
      index = indexes.computeIfAbsent(runId, k -> new PointIndex());
    }
    Path file = dir.resolve(POINTS_FILE);
    if (!Files.exists(file)) {
      index.reset();
      return index;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < index.offset) {
        index.reset();
      }
      if (size > index.offset) {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(size - index.offset));
        while (buffer.hasRemaining() && channel.read(buffer, index.offset + buffer.position()) > 0) {
          // keep reading until the buffer is full
        }
        int consumed =
            forEachCompleteLine(dir, buffer.array(), 0, (step, timestamp, values) -> values.keySet().forEach(k -> index.add(k, step)));
        index.offset += consumed;
      }
    }
    return index;
  }

  private static void append(Path dir, PointIndex index, long step, Map<String, Double> values)
      throws IOException {
    ObjectNode line = Json.MAPPER.createObjectNode();
    line.put("step", step);
    line.put("timestamp", System.currentTimeMillis());
    ObjectNode metrics = line.putObject("metrics");
    values.forEach(
        (key, value) -> {
          if (Double.isFinite(value)) {
            metrics.put(key, value);
          } else {
            metrics.put(key, value.toString());
          }
        });
    byte[] bytes = (Json.MAPPER.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel =
        FileChannel.open(dir.resolve(POINTS_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      if (channel.size() > index.offset) {
        // The tail after the last complete line was cut short by a crashed writer: drop it.
        channel.truncate(index.offset);
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      long position = index.offset;
      while (buffer.hasRemaining()) {
        position += channel.write(buffer, position);
      }
      channel.force(false);
    }
    index.offset += bytes.length;
    values.keySet().forEach(k -> index.add(k, step));
  }

  @FunctionalInterface
  private interface LineConsumer {
    void accept(long step, long timestamp, Map<String, Double> values);
  }

  /** Parses every newline-terminated line; returns the number of bytes those lines span. */
  private static int forEachCompleteLine(Path dir, byte[] bytes, int from, LineConsumer consumer) {
    int start = from;
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      String text = new String(bytes, start, i - start, StandardCharsets.UTF_8).strip();
      if (!text.isEmpty()) {
        parseLine(dir, text, consumer);
      }
      start = i + 1;
    }
    return start - from;
  }

  private static void parseLine(Path dir, String text, LineConsumer consumer) {
    try {
      JsonNode line = Json.MAPPER.readTree(text);
      Map<String, Double> values = new LinkedHashMap<>();
      line.get("metrics")
          .fields()
          .forEachRemaining(
              f ->
                  values.put(
                      f.getKey(),
                      f.getValue().isNumber()
                          ? f.getValue().asDouble()
                          : Double.parseDouble(f.getValue().asText())));
      consumer.accept(line.get("step").asLong(), line.get("timestamp").asLong(), values);
    } catch (IOException | RuntimeException e) {
      throw new CorruptObjectException(
          "corrupt line in " + dir.resolve(POINTS_FILE) + ": '" + text + "' (" + e.getMessage() + ")");
    }
  }

  private static LocalRunFile readRunFileOrNull(Path dir) throws IOException {
    Path file = dir.resolve(RUN_FILE);
    if (!Files.exists(file)) {
      return null;
    }
    return Json.MAPPER.readValue(file.toFile(), LocalRunFile.class);
  }

  private static LocalRunFile readRunFile(Path dir) {
    try {
      LocalRunFile run = readRunFileOrNull(dir);
      if (run == null) {
        throw new ObjectNotFoundException(METRICS_DIR + "/" + RUN_FILE, dir.getParent().toString());
      }
      return run;
    } catch (IOException e) {
      throw new CorruptObjectException("cannot parse " + dir.resolve(RUN_FILE) + ": " + e.getMessage());
    }
  }

  private static void writeRunFile(Path dir, LocalRunFile run) throws IOException {
    Path tmp = dir.resolve(ObjectKeys.TEMP_MARKER + RUN_FILE);
    Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(run));
    try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.move(tmp, dir.resolve(RUN_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Which (key, step) pairs a run's metrics file already holds, and how far it was read. */
  private static final class PointIndex {
    long offset;
    final Map<String, Set<Long>> steps = new HashMap<>();

    void reset() {
      offset = 0;
      steps.clear();
    }

    void add(String key, long step) {
      steps.computeIfAbsent(key, k -> new HashSet<>()).add(step);
    }

    boolean contains(String key, long step) {
      Set<Long> known = steps.get(key);
      return known != null && known.contains(step);
    }
  }

  /** The JSON layout of {@code run.json}. */
  record LocalRunFile(
      String runName,
      RunStatus status,
      long startTime,
      Long endTime,
      Map<String, String> params,
      Map<String, String> tags) {}
}
