package dev.crl.workers.runtime;

import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Temporal server: the {@code temporal server start-dev} process of the Temporal CLI, with
 * its state in a SQLite file. Workflows survive the end of this process and resume when a server
 * is started again on the same file.
 */
public final class DevServerTemporal implements TemporalService {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final WorkflowServiceStubs stubs;
  private final int port;
  private final Path dbFile;
  /**
   * Stops the server when the JVM exits without {@link #close} (Ctrl-C or a plain {@code kill} of
   * {@code crl train}); without it the server process outlived its parent. The run's state is in
   * the database file, so {@code crl runs resume} starts a new server on it.
   */
  private final Thread stopOnExit;
  /** Stops the server when the JVM dies without running its hooks ({@code kill -9}); may be null. */
  private final Process watchdog;

  private DevServerTemporal(Process process, WorkflowServiceStubs stubs, int port, Path dbFile) {
    this.process = process;
    this.stubs = stubs;
    this.port = port;
    this.dbFile = dbFile;
    this.stopOnExit = new Thread(() -> stop(process), "temporal-dev-server-stop");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    this.watchdog = startWatchdog(process.pid());
  }

  /**
   * A {@code kill -9} of the JVM runs no shutdown hook, and the server would keep running (and
   * holding its port and database) with nobody to stop it. So a small shell process watches both:
   * once the JVM is gone it stops the server (SIGTERM, then SIGKILL after 10 s); once the server
   * is gone it ends itself. It is a sibling of the server rather than its parent, so that tests
   * which kill or restart the server act on the server itself. Without a POSIX shell there is no
   * watchdog and a {@code kill -9} leaves the server running, as before.
   */
  private static Process startWatchdog(long serverPid) {
    Path sh = Path.of("/bin/sh");
    if (!Files.isExecutable(sh)) {
      return null;
    }
    String script = "jvm=$1; server=$2; "
        + "while kill -0 $jvm 2>/dev/null && kill -0 $server 2>/dev/null; do sleep 1; done; "
        + "if kill -0 $server 2>/dev/null; then kill $server; i=0; "
        + "while [ $i -lt 10 ] && kill -0 $server 2>/dev/null; do sleep 1; i=$((i+1)); done; "
        + "kill -9 $server 2>/dev/null; fi";
    try {
      return new ProcessBuilder(sh.toString(), "-c", script, "crl-dev-server-watchdog",
          String.valueOf(ProcessHandle.current().pid()), String.valueOf(serverPid))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The Temporal CLI to use: {@code CRL_TEMPORAL_BIN}, then the project's tool virtualenv, then
   * {@code temporal} on the PATH.
   */
  public static Optional<Path> findBinary(Path projectHome) {
    String fromEnv = System.getenv("CRL_TEMPORAL_BIN");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(Path.of(fromEnv)).filter(Files::isExecutable);
    }
    if (projectHome != null) {
      Path venv = projectHome.resolve(".crl-tools/venv/bin/temporal");
      if (Files.isExecutable(venv)) {
        return Optional.of(venv);
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(dir, "temporal");
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Starts a dev server persisted in {@code dbFile} on {@code port} (0 picks a free port) and waits
   * until its frontend answers. The server's output goes to {@code dbFile}'s directory.
   */
  public static DevServerTemporal start(Path binary, Path dbFile, int port) {
    int frontend = port == 0 ? Ports.freePort() : port;
    try {
      Files.createDirectories(dbFile.toAbsolutePath().getParent());
      Path log = dbFile.resolveSibling("temporal-server.log");
      ProcessBuilder pb = new ProcessBuilder(List.of(
          binary.toString(), "server", "start-dev",
          "--db-filename", dbFile.toAbsolutePath().toString(),
          // A write-ahead log with normal syncing: each history event costs one append instead of
          // a rewrite of the database pages and an fsync per transaction. A committed event still
          // survives the server process being killed; only a power loss can drop the last ones.
          "--sqlite-pragma", "journal_mode=wal",
          "--sqlite-pragma", "synchronous=normal",
          "--headless",
          "--ip", "127.0.0.1",
          "--port", String.valueOf(frontend),
          "--http-port", String.valueOf(Ports.freePort()),
          "--metrics-port", String.valueOf(Ports.freePort()),
          "--log-level", "warn"))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Process process = pb.start();
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (!Ports.isOpen(frontend)) {
        if (!process.isAlive()) {
          throw new IllegalStateException("temporal dev server exited with code " + process.exitValue()
              + " before listening on 127.0.0.1:" + frontend + "; see " + log);
        }
        if (System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new IllegalStateException("temporal dev server did not listen on 127.0.0.1:" + frontend
              + " within " + START_TIMEOUT.toSeconds() + " s; see " + log);
        }
        Thread.sleep(100);
      }
      WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
          WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + frontend).build());
      // The port opens before the namespace is ready; a health check confirms the frontend serves.
      stubs.healthCheck();
      return new DevServerTemporal(process, stubs, frontend, dbFile);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + binary + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the temporal dev server", e);
    }
  }

  public int port() {
    return port;
  }

  @Override
  public String address() {
    return "127.0.0.1:" + port;
  }

  public Process process() {
    return process;
  }

  @Override
  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  @Override
  public String namespace() {
    return "default";
  }

  @Override
  public String describe() {
    return "temporal dev server 127.0.0.1:" + port + " (state in " + dbFile + ")";
  }

  @Override
  public void close() {
    stubs.shutdownNow();
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException exiting) {
      // The JVM is already exiting; the hook stops the process.
    }
    stop(process);
    if (watchdog != null) {
      // It would notice the server's end within a second; there is no need to wait for that.
      watchdog.destroy();
    }
  }

  private static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
