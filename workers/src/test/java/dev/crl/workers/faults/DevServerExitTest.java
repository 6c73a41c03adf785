package dev.crl.workers.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM that holds an embedded dev server takes the server with it when it is stopped: with
 * SIGTERM (Ctrl-C or {@code kill} of {@code crl train}) through its shutdown hook, and with
 * SIGKILL ({@code kill -9}, which runs no hook) through the server's watchdog. Before the hook
 * and the watchdog the server outlived its JVM in both cases.
 */
class DevServerExitTest {

  @Test
  void aTerminatedJvmStopsItsDevServer(@TempDir Path dir) throws Exception {
    assertServerEndsWithItsJvm(dir, false);
  }

  @Test
  void aKilledJvmStopsItsDevServer(@TempDir Path dir) throws Exception {
    assertServerEndsWithItsJvm(dir, true);
  }

  private static void assertServerEndsWithItsJvm(Path dir, boolean kill9) throws Exception {
    Path cli = FaultTestSupport.temporalCli();
    Process jvm = null;
    ProcessHandle server = null;
    try {
      FaultTestSupport.JavaProcess holder = FaultTestSupport.startJava(DevServerHolderMain.class, "dev server pid ",
          cli.toString(), dir.resolve("temporal.db").toString());
      jvm = holder.process();
      long pid = Long.parseLong(holder.readyLine().substring("dev server pid ".length()).trim());
      Optional<ProcessHandle> handle = ProcessHandle.of(pid);
      assertTrue(handle.isPresent() && handle.get().isAlive(), "the dev server runs before the JVM is stopped");
      server = handle.get();

      if (kill9) {
        jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs.
      } else {
        jvm.destroy(); // SIGTERM: shutdown hooks run.
      }
      assertTrue(jvm.waitFor(30, TimeUnit.SECONDS), "the holder JVM exits");
      assertEquals(kill9 ? 137 : 143, jvm.exitValue(), "the JVM ended by the signal sent, not by a crash");
      try {
        server.onExit().get(15, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        fail("the dev server (pid " + server.pid() + ") was still running 15 s after its JVM exited");
      }
      assertFalse(server.isAlive(), "the dev server stopped with the JVM that started it");
    } finally {
      if (jvm != null) {
        jvm.destroyForcibly();
      }
      if (server != null) {
        server.destroyForcibly();
      }
    }
  }
}
