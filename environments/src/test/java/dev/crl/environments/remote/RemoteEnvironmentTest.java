package dev.crl.environments.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.crl.environments.EnvironmentException;
import dev.crl.environments.EnvironmentRegistry;
import dev.crl.environments.Observation;
import dev.crl.environments.StepResult;
import dev.crl.environments.TextEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The remote client against real HTTP servers on 127.0.0.1: the shipped Python AgentGym server
 * (built-in line-walk game, and the real MiniHack when installed), plus small JDK servers that hang
 * or answer garbage.
 */
class RemoteEnvironmentTest {

  static Path repoRoot() {
    Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("repository root (with mvnw) not found above user.dir");
    }
    return p;
  }

  /** A running Python server process; closing it kills the process. */
  record PyServer(Process process, int port) implements AutoCloseable {
    URI uri() {
      return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  static PyServer startServer(String python, String... args) throws IOException {
    Path script = repoRoot().resolve("environments/python/crl_env_server.py");
    List<String> cmd = new java.util.ArrayList<>(List.of(python, script.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("listening on ")) {
      p.destroyForcibly();
      throw new IOException("server did not start: " + line);
    }
    // Keep draining stdout so that a chatty server never blocks on a full pipe.
    Thread drain = new Thread(() -> {
      try {
        while (out.readLine() != null) {
          // discard
        }
      } catch (IOException e) {
        // The process ended.
      }
    });
    drain.setDaemon(true);
    drain.start();
    return new PyServer(p, Integer.parseInt(line.substring("listening on ".length()).trim()));
  }

  static String systemPython() {
    for (String candidate : List.of("python3", "python")) {
      try {
        Process p = new ProcessBuilder(candidate, "--version").redirectErrorStream(true).start();
        if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
      } catch (IOException | InterruptedException e) {
        // Try the next candidate.
      }
    }
    return null;
  }

  static void requireTool(boolean present, String what) {
    if (!present && "1".equals(System.getenv("CRL_REQUIRE_TOOLS"))) {
      throw new AssertionError(what + " is missing: run infra/local/install-tools.sh");
    }
    Assumptions.assumeTrue(present, what + " is missing (run infra/local/install-tools.sh)");
  }

  @Test
  void playsBuiltInGameOverHttpThroughTheRegistry() throws Exception {
    String python = systemPython();
    requireTool(python != null, "python3");
    try (PyServer server = startServer(python, "--env", "line-walk", "--port", "0");
        TextEnvironment env = EnvironmentRegistry.create("remote:" + server.uri())) {
      Observation o = env.reset(0);
      assertEquals("Reach the goal cell G.", o.goal());
      assertEquals(List.of("left", "right"), o.availableActions());
      assertTrue(o.text().startsWith("@"), o.text());
      StepResult bad = env.step("jump");
      assertTrue(bad.invalidAction());
      assertFalse(bad.done());
      StepResult r = null;
      for (int i = 0; i < 4; i++) {
        r = env.step("right");
      }
      assertTrue(r.success());
      assertTrue(r.terminated());
      assertEquals(1.0, r.reward());
      // A second reset reuses the server session and restarts the game.
      assertTrue(env.reset(1).text().startsWith(".@"));
    }
  }

  @Test
  void retriesServerErrorsThenSucceeds() throws Exception {
    String python = systemPython();
    requireTool(python != null, "python3");
    try (PyServer server = startServer(python, "--port", "0", "--fail-first", "2")) {
      RemoteEnvironment env = RemoteEnvironment.builder().setBaseUri(server.uri())
          .optBackoff(Duration.ofMillis(10)).optMaxRetries(2).build();
      assertTrue(env.reset(0).text().contains("G"));
      env.close();
    }
    try (PyServer server = startServer(python, "--port", "0", "--fail-first", "5")) {
      RemoteEnvironment env = RemoteEnvironment.builder().setBaseUri(server.uri())
          .optBackoff(Duration.ofMillis(10)).optMaxRetries(2).build();
      EnvironmentException e = assertThrows(EnvironmentException.class, () -> env.reset(0));
      assertTrue(e.getMessage().contains("HTTP 503") && e.getMessage().contains("3 attempts"),
          e.getMessage());
    }
  }

  @Test
  void serverDownGivesClearError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    RemoteEnvironment env = RemoteEnvironment.builder()
        .setBaseUri(URI.create("http://127.0.0.1:" + port)).optBackoff(Duration.ofMillis(5))
        .optMaxRetries(1).build();
    EnvironmentException e = assertThrows(EnvironmentException.class, () -> env.reset(0));
    assertTrue(e.getMessage().contains("not reachable"), e.getMessage());
  }

  @Test
  void hangingServerTimesOutAndGarbageIsRejected() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/create", ex -> {
      byte[] b = "{\"id\": 7}".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    server.createContext("/reset", ex -> {
      try {
        Thread.sleep(1500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.createContext("/step", ex -> {
      byte[] b = "<html>not json</html>".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, b.length);
      ex.getResponseBody().write(b);
      ex.close();
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      RemoteEnvironment env = RemoteEnvironment.builder().setBaseUri(uri)
          .optRequestTimeout(Duration.ofMillis(200)).optMaxRetries(1)
          .optBackoff(Duration.ofMillis(5)).build();
      long t0 = System.nanoTime();
      EnvironmentException timeout = assertThrows(EnvironmentException.class, () -> env.reset(0));
      assertTrue(timeout.getMessage().contains("did not answer within 200 ms"),
          timeout.getMessage());
      assertTrue(System.nanoTime() - t0 < 1_400_000_000L, "the timeout was not enforced");
      EnvironmentException garbage = assertThrows(EnvironmentException.class,
          () -> env.step("north"));
      assertTrue(garbage.getMessage().contains("garbage") || garbage.getMessage().contains("before"),
          garbage.getMessage());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void realMiniHackRoomEpisodeThroughTheJavaClient() throws Exception {
    Path python = repoRoot().resolve(".crl-tools/venv/bin/python");
    boolean present = Files.isExecutable(python) && new ProcessBuilder(python.toString(), "-c",
        "import minihack, nle").redirectErrorStream(true).start().waitFor() == 0;
    requireTool(present, "the real MiniHack (.crl-tools/venv with minihack and nle)");
    try (PyServer server = startServer(python.toString(), "--env",
        "minihack:MiniHack-Room-5x5-v0", "--port", "0");
        RemoteEnvironment env = RemoteEnvironment.builder().setBaseUri(server.uri())
            .optMaxSteps(30).build()) {
      Observation o = env.reset(3);
      assertTrue(o.text().contains("@") && o.text().contains("Map:"), o.text());
      assertTrue(o.availableActions().contains("east"), o.availableActions().toString());
      // Walk toward the stairs by reading the map: the lit 5x5 room shows both '@' and '>'.
      StepResult r = null;
      for (int i = 0; i < 30; i++) {
        r = env.step(towardStairs(o.text()));
        o = r.observation();
        if (r.done()) {
          break;
        }
      }
      assertTrue(r.success() && r.reward() > 0, "did not reach the stairs: " + o.text());
    }
  }

  private static String towardStairs(String text) {
    String[] lines = text.split("\n");
    int ax = -1, ay = -1, gx = -1, gy = -1;
    for (int y = 0; y < lines.length; y++) {
      int a = lines[y].indexOf('@');
      int g = lines[y].indexOf('>');
      if (a >= 0 && lines[y].startsWith(" ")) {
        ax = a;
        ay = y;
      }
      if (g >= 0 && !lines[y].startsWith("Message")) {
        gx = g;
        gy = y;
      }
    }
    if (ax < 0 || gx < 0) {
      return "east";
    }
    String ns = gy < ay ? "north" : gy > ay ? "south" : "";
    String ew = gx < ax ? "west" : gx > ax ? "east" : "";
    return ns.isEmpty() ? ew : ew.isEmpty() ? ns : ns + ew;
  }
}
