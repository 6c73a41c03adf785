package dev.crl.workers.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.activities.WorkerResources;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.payload.RunStatus;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.RunSpec;
import dev.crl.workers.runtime.InProcessTemporal;
import dev.crl.workers.runtime.RunDirectory;
import dev.crl.workers.runtime.RunLauncher;
import dev.crl.workers.runtime.WorkerHost;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 1: the training worker, a process of its own, is killed with SIGKILL while an actor
 * update is in flight. A new worker process picks the retried activity up (after the heartbeat
 * timeout), it starts again from the checkpoint named in its input, and the run finishes with the
 * planned number of iterations, each logged exactly once.
 */
class WorkerKillTest {
  private static final int ITERATIONS = 6;

  @Test
  void killingTheTrainingWorkerMidUpdateLosesNothing(@TempDir Path tmp) throws Exception {
    RunSpec spec = FaultTestSupport.shortRun("kill", ITERATIONS);
    RunDirectory dir = RunDirectory.create(tmp.resolve("run"), "kill-run", spec, Map.of());
    try (InProcessTemporal temporal = InProcessTemporal.start();
        WorkerResources resources = WorkerResources.open(spec.backends(), dir.objectStore(), dir.metrics());
        WorkerHost host = WorkerHost.start(temporal, "crl",
            EnumSet.of(Role.WORKFLOW, Role.ROLLOUT, Role.EXPERIENCE), resources)) {
      Process trainer = startTrainer(temporal.port(), dir);
      RunLauncher.RunHandle run = new RunLauncher(host.client()).start("kill-run", spec);
      int killedAt = -1;
      Path actorDir = dir.objectStore().resolve("runs/kill-run/checkpoints/actor");
      while (killedAt < 0) {
        RunStatus s = FaultTestSupport.awaitStatus(run, st -> "update_actor".equals(st.phase())
            || st.iteration() >= ITERATIONS - 1, Duration.ofMinutes(4));
        if (!"update_actor".equals(s.phase())) {
          break;
        }
        trainer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        // The kill counts only if the update had not written its checkpoint yet.
        if (!Files.exists(actorDir.resolve(String.format("v-%06d/manifest.json", s.iteration() + 1)))) {
          killedAt = s.iteration();
        }
        trainer = startTrainer(temporal.port(), dir);
      }
      assertTrue(killedAt >= 0, "the test never caught an actor update in flight");
      RunSummary summary = run.result();
      trainer.destroyForcibly();
      assertEquals("completed", summary.status());
      assertEquals(ITERATIONS, summary.iterations());
      for (int v = 1; v <= ITERATIONS; v++) {
        assertTrue(Files.isRegularFile(actorDir.resolve(String.format("v-%06d/manifest.json", v))), "actor v" + v);
      }
    }
    FaultTestSupport.assertEveryIterationLoggedOnce(dir.metrics(), "kill-run", ITERATIONS);
  }

  private static Process startTrainer(int port, RunDirectory dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
        WorkerProcessMain.class.getName(), String.valueOf(port), dir.objectStore().toString(),
        dir.metrics().toString(), "training"))
        .redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("worker ready")) {
        // Keep draining the worker's output so it never blocks on a full pipe.
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "worker-output");
        drain.setDaemon(true);
        drain.start();
        return p;
      }
    }
    throw new AssertionError("the worker process exited before it was ready, code " + p.waitFor());
  }
}
