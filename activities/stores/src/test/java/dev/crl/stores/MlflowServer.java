package dev.crl.stores;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code mlflow server} from the project's tool virtualenv, on 127.0.0.1 with a SQLite
 * backend store in a temporary directory. Starting one costs 20-40 s on two busy cores, so test
 * classes share one instance.
 */
public final class MlflowServer implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  public MlflowServer(Path mlflow, Path dir) throws Exception {
    this(mlflow, dir, TestSupport.freePort());
  }

  /**
   * A server on a given port. Started again on the port and directory of a stopped one, it is the
   * same MLflow (same SQLite store) coming back after an outage.
   */
  public MlflowServer(Path mlflow, Path dir, int port) throws Exception {
    this.port = port;
    this.log = dir.resolve("mlflow-server.log");
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                mlflow.toString(),
                "server",
                "--backend-store-uri",
                "sqlite:///" + dir.resolve("mlflow.db").toAbsolutePath(),
                "--default-artifact-root",
                dir.resolve("artifacts").toAbsolutePath().toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--workers",
                "1"));
    // The job runner (a separate huey consumer process) is for MLflow's GenAI jobs; the tests do
    // not use it, and it costs one more Python start on a busy two-core machine.
    builder.environment().put("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false");
    // Appending keeps the log of an earlier server on the same directory (a restart after an outage).
    builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    long start = System.nanoTime();
    this.process = builder.start();
    waitForHealth(Duration.ofSeconds(180));
    System.out.printf("mlflow server healthy after %d ms%n", (System.nanoTime() - start) / 1_000_000);
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  private void waitForHealth(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/health")).timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("mlflow server exited with " + process.exitValue() + ":\n" + logTail());
      }
      try {
        if (http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    close();
    throw new IllegalStateException("mlflow server not healthy after " + timeout + ":\n" + logTail());
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops the server and its worker processes (uvicorn and job runners are children). */
  @Override
  public void close() throws InterruptedException {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    for (ProcessHandle child : children) {
      child.onExit().completeOnTimeout(child, 10, TimeUnit.SECONDS).join();
      child.destroyForcibly();
    }
  }
}
