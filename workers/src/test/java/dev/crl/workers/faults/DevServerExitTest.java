package dev.crl.workers.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM that holds an embedded dev server and is stopped with SIGTERM (Ctrl-C or {@code kill} of
 * {@code crl train}) takes the server with it; before the shutdown hook the server outlived it.
 */
class DevServerExitTest {

  @Test
  void aTerminatedJvmStopsItsDevServer(@TempDir Path dir) throws Exception {
    Path cli = FaultTestSupport.temporalCli();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process jvm = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        DevServerHolderMain.class.getName(), cli.toString(), dir.resolve("temporal.db").toString()))
        .redirectErrorStream(true).start();
    ProcessHandle server = null;
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
      List<String> seen = new ArrayList<>();
      String line;
      while (server == null && (line = out.readLine()) != null) {
        seen.add(line);
        if (line.startsWith("dev server pid ")) {
          long pid = Long.parseLong(line.substring("dev server pid ".length()).trim());
          Optional<ProcessHandle> handle = ProcessHandle.of(pid);
          assertTrue(handle.isPresent() && handle.get().isAlive(), "the dev server runs before the JVM is stopped");
          server = handle.get();
        }
      }
      assertTrue(server != null, "the holder JVM never reported its dev server: " + seen);
      Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "holder-output");
      drain.setDaemon(true);
      drain.start();

      jvm.destroy(); // SIGTERM: shutdown hooks run.
      assertTrue(jvm.waitFor(30, TimeUnit.SECONDS), "the holder JVM exits on SIGTERM");
      assertEquals(143, jvm.exitValue(), "the JVM ended by SIGTERM, not by a crash");
      try {
        server.onExit().get(15, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        fail("the dev server (pid " + server.pid() + ") was still running 15 s after its JVM exited");
      }
      assertFalse(server.isAlive(), "the dev server stopped with the JVM that started it");
    } finally {
      jvm.destroyForcibly();
      if (server != null) {
        server.destroyForcibly();
      }
    }
  }
}
