package dev.crl.workers.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.crl.api.spec.RunSpec;
import dev.crl.api.spec.RunSpecLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The folder a run lives in on the machine that launched it: the resolved spec, the run's
 * identity, the embedded Temporal database, the local object store and metrics, and the final
 * report. Everything {@code crl runs show} and {@code crl runs resume} need is here.
 */
public record RunDirectory(Path path, String runId) {
  public static final String SPEC_FILE = "spec.yaml";
  public static final String RUN_FILE = "run.json";
  public static final String REPORT_FILE = "report.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The default location of a new run: {@code runs/<name>-<timestamp>} under the working dir. */
  public static Path defaultPath(String name) {
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return Path.of("runs", name + "-" + stamp);
  }

  /** Creates the folder of a new run and records its spec and identity. */
  public static RunDirectory create(Path path, String runId, RunSpec spec, Map<String, String> identity) {
    try {
      if (Files.exists(path.resolve(RUN_FILE))) {
        throw new IllegalArgumentException(path + " already holds a run; resume it with"
            + " 'crl runs resume " + path + "' or choose another --run-dir");
      }
      Files.createDirectories(path);
      Files.writeString(path.resolve(SPEC_FILE), RunSpecLoader.toYaml(spec), StandardCharsets.UTF_8);
      Map<String, String> run = new LinkedHashMap<>();
      run.put("run_id", runId);
      run.putAll(identity);
      JSON.writeValue(path.resolve(RUN_FILE).toFile(), run);
      return new RunDirectory(path, runId);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run directory " + path + ": " + e.getMessage(), e);
    }
  }

  /** Opens the folder of an existing run. */
  public static RunDirectory open(Path path) {
    Path runFile = path.resolve(RUN_FILE);
    if (!Files.isRegularFile(runFile)) {
      throw new IllegalArgumentException(path + " is not a run directory (no " + RUN_FILE + ")");
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, String> run = JSON.readValue(runFile.toFile(), Map.class);
      return new RunDirectory(path, run.get("run_id"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + runFile + ": " + e.getMessage(), e);
    }
  }

  /** The identity fields written at creation (run id, workflow id, temporal mode ...). */
  @SuppressWarnings("unchecked")
  public Map<String, String> identity() {
    try {
      return JSON.readValue(path.resolve(RUN_FILE).toFile(), Map.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path.resolve(RUN_FILE), e);
    }
  }

  /** Updates one identity field (e.g. the workflow run id after a resume). */
  public void putIdentity(String key, String value) {
    Map<String, String> run = new LinkedHashMap<>(identity());
    run.put(key, value);
    try {
      JSON.writeValue(path.resolve(RUN_FILE).toFile(), run);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path.resolve(RUN_FILE), e);
    }
  }

  /** The run's local object store (embedded backend). */
  public Path objectStore() {
    return path.resolve("store");
  }

  /** The run's local metric files (embedded backend). */
  public Path metrics() {
    return path.resolve("metrics");
  }

  public Path specFile() {
    return path.resolve(SPEC_FILE);
  }

  public Path report() {
    return path.resolve(REPORT_FILE);
  }
}
