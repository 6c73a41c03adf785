package dev.crl.workers.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crl.activities.WorkerResources;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.BackendsSpec;
import dev.crl.api.spec.RunSpec;
import dev.crl.workers.runtime.ClusterTemporal;
import dev.crl.workers.runtime.DevServerTemporal;
import dev.crl.workers.runtime.Ports;
import dev.crl.workers.runtime.RunDirectory;
import dev.crl.workers.runtime.RunLauncher;
import dev.crl.workers.runtime.WorkerHost;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 2: the Temporal dev server (a real server persisted in SQLite) is stopped mid-run and
 * started again on the same database and port. The workers reconnect and the run finishes.
 */
class TemporalRestartTest {
  @Test
  void theRunSurvivesARestartOfTheTemporalServer(@TempDir Path tmp) throws Exception {
    Path cli = FaultTestSupport.temporalCli();
    RunSpec spec = FaultTestSupport.shortRun("restart", 4);
    RunDirectory dir = RunDirectory.create(tmp.resolve("run"), "restart-run", spec, Map.of());
    Path db = dir.path().resolve("temporal.db");
    int port = Ports.freePort();
    DevServerTemporal server = DevServerTemporal.start(cli, db, port);
    try (ClusterTemporal connection = ClusterTemporal.connect(new BackendsSpec.TemporalBackend(
            "cluster", "127.0.0.1:" + port, "default", "crl", null, null, null));
        WorkerResources resources = WorkerResources.open(spec.backends(), dir.objectStore(), dir.metrics());
        WorkerHost host = WorkerHost.start(connection, "crl", EnumSet.allOf(Role.class), resources)) {
      RunLauncher.RunHandle run = new RunLauncher(host.client()).start("restart-run", spec);
      FaultTestSupport.awaitStatus(run, s -> s.iteration() >= 1, Duration.ofMinutes(3));

      server.close();
      Thread.sleep(3_000);
      server = DevServerTemporal.start(cli, db, port);

      RunSummary summary = FaultTestSupport.awaitResult(run, Duration.ofMinutes(10));
      assertEquals("completed", summary.status());
      assertEquals(4, summary.iterations());
    } finally {
      server.close();
    }
    FaultTestSupport.assertEveryIterationLoggedOnce(dir.metrics(), "restart-run", 4);
  }
}
