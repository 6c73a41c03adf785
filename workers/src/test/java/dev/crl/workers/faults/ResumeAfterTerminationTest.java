package dev.crl.workers.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.activities.WorkerResources;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.RunSpec;
import dev.crl.workers.runtime.InProcessTemporal;
import dev.crl.workers.runtime.RunDirectory;
import dev.crl.workers.runtime.RunLauncher;
import dev.crl.workers.runtime.RunResumer;
import dev.crl.workers.runtime.WorkerHost;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 5: a run whose workflow was terminated is resumed as a new execution from its latest
 * checkpoints and bank snapshot, and finishes with every iteration logged exactly once.
 */
class ResumeAfterTerminationTest {
  @Test
  void aTerminatedRunResumesFromItsLatestCheckpoint(@TempDir Path tmp) throws Exception {
    RunSpec spec = FaultTestSupport.shortRun("resume", 4);
    RunDirectory dir = RunDirectory.create(tmp.resolve("run"), "resume-run", spec, Map.of());
    try (InProcessTemporal temporal = InProcessTemporal.start();
        WorkerResources resources = WorkerResources.open(spec.backends(), dir.objectStore(), dir.metrics());
        WorkerHost host = WorkerHost.start(temporal, "crl", EnumSet.allOf(Role.class), resources)) {
      RunLauncher.RunHandle first = new RunLauncher(host.client()).start("resume-run", spec);
      FaultTestSupport.awaitStatus(first, s -> s.iteration() >= 2, Duration.ofMinutes(3));
      first.stub().terminate("test: simulate an operator killing the run");

      ByteArrayOutputStream log = new ByteArrayOutputStream();
      RunLauncher.RunHandle resumed = new RunResumer(host.client(), temporal, resources)
          .resume(dir, spec, new PrintStream(log, true));
      String said = log.toString();
      assertTrue(said.contains("starting a new execution at iteration"), said);
      RunSummary summary = FaultTestSupport.awaitResult(resumed, Duration.ofMinutes(10));

      assertEquals("completed", summary.status());
      assertEquals(4, summary.iterations());
    }
    assertTrue(Files.isRegularFile(dir.objectStore().resolve("runs/resume-run/checkpoints/actor/v-000004/manifest.json")));
    FaultTestSupport.assertEveryIterationLoggedOnce(dir.metrics(), "resume-run", 4);
  }
}
