package dev.crl.workers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crl.activities.WorkerResources;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.RunSpec;
import dev.crl.workers.faults.FaultTestSupport;
import dev.crl.workers.runtime.InProcessTemporal;
import dev.crl.workers.runtime.Ports;
import dev.crl.workers.runtime.RunDirectory;
import dev.crl.workers.runtime.RunLauncher;
import dev.crl.workers.runtime.WorkerHost;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code crl runs status|pause|unpause|set|stop} against a real run: a Temporal server on
 * 127.0.0.1 (the in-process server, reached over gRPC like any frontend) with a worker running a
 * training run, and the commands executed as the launcher parses them, from the run directory
 * alone. The errors a user meets (no server, no such workflow, a finished run, not a run
 * directory) are checked for their messages.
 */
class RunControlCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private record Result(int code, String out, String err) {}

  private static Result crl(Object... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = CrlCommand.create(new dev.crl.workers.CliErrorHandlerAccess().handler())
        .setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    String[] strings = java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
    return new Result(cmd.execute(strings), out.toString(), err.toString());
  }

  @Test
  void aRunningRunIsFollowedPausedUnpausedChangedAndStoppedFromItsDirectory() throws Exception {
    RunSpec spec = FaultTestSupport.shortRun("control", 50);
    RunDirectory dir = RunDirectory.create(tmp.resolve("run"), "control-run", spec,
        Map.of("temporal_mode", "embedded", "curriculum", "false"));
    try (InProcessTemporal temporal = InProcessTemporal.start();
        WorkerResources resources = WorkerResources.open(spec.backends(), dir.objectStore(), dir.metrics());
        WorkerHost host = WorkerHost.start(temporal, "crl", EnumSet.allOf(Role.class), resources)) {
      // What crl train records when its embedded runtime is up.
      dir.putIdentity("temporal_address", temporal.address());
      dir.putIdentity("temporal_namespace", temporal.namespace());
      RunLauncher.RunHandle run = new RunLauncher(host.client()).start("control-run", spec);
      dir.putIdentity("workflow_id", run.workflowId());
      FaultTestSupport.awaitStatus(run, s -> s.iteration() >= 1, Duration.ofMinutes(3));

      Result status = crl("runs", "status", dir.path());
      assertEquals(0, status.code(), status.err());
      assertTrue(status.out().contains("(RUNNING) at " + temporal.address()) && status.out().contains(" of 50")
          && status.out().contains("control-run") && status.out().contains("paused          no"), status.out());

      Result pause = crl("runs", "pause", dir.path());
      assertEquals(0, pause.code(), pause.err());
      assertTrue(pause.out().contains("crl runs unpause " + dir.path()), pause.out());
      JsonNode paused = awaitCliStatus(dir.path(), s -> "paused".equals(s.path("phase").asText()));
      assertTrue(paused.path("paused").asBoolean());
      int pausedAt = paused.path("iteration").asInt();
      Thread.sleep(5_000);
      assertEquals(pausedAt, cliStatus(dir.path()).path("iteration").asInt(), "a paused run does not go on");
      assertTrue(crl("runs", "status", dir.path()).out().contains("crl runs unpause " + dir.path()));

      Result change = crl("runs", "set", dir.path(), "actor_lr=0.0005");
      assertEquals(0, change.code(), change.err());
      assertTrue(change.out().contains("algorithm.actor_lr = 0.0005"), change.out());
      Result rejected = crl("runs", "set", dir.path(), "actor_lr=-1");
      assertEquals(2, rejected.code());
      assertTrue(rejected.err().contains("rejected") && rejected.err().contains("actor_lr"), rejected.err());

      Result unpause = crl("runs", "unpause", dir.path());
      assertEquals(0, unpause.code(), unpause.err());
      awaitCliStatus(dir.path(), s -> s.path("iteration").asInt() > pausedAt && !s.path("paused").asBoolean());

      Result stop = crl("runs", "stop", dir.path(), "--wait");
      assertEquals(0, stop.code(), stop.err() + stop.out());
      assertTrue(stop.out().contains("the run has ended: COMPLETED"), stop.out());
      RunSummary summary = FaultTestSupport.awaitResult(run, Duration.ofMinutes(10));
      assertEquals("stopped", summary.status());
      assertTrue(summary.iterations() > pausedAt && summary.iterations() < 50, "stopped at " + summary.iterations());

      Result pauseEnded = crl("runs", "pause", dir.path());
      assertEquals(2, pauseEnded.code());
      assertTrue(pauseEnded.err().contains("has ended (COMPLETED)"), pauseEnded.err());
      Result statusEnded = crl("runs", "status", dir.path());
      assertEquals(0, statusEnded.code(), statusEnded.err());
      assertTrue(statusEnded.out().contains("(COMPLETED)") && statusEnded.out().contains("the run has ended"),
          statusEnded.out());
    }
  }

  @Test
  void aCurriculumIsControlledThroughItsStageRunInProgress() throws Exception {
    RunSpec spec = FaultTestSupport.shortRun("cur", 50, """
        curriculum:
          stages:
            - name: room
              tasks: {envs: [{id: minihack-room}]}
              iterations: 50
        """);
    RunDirectory dir = RunDirectory.create(tmp.resolve("cur"), "cur-run", spec,
        Map.of("temporal_mode", "embedded", "curriculum", "true"));
    try (InProcessTemporal temporal = InProcessTemporal.start();
        WorkerResources resources = WorkerResources.open(spec.backends(), dir.objectStore(), dir.metrics());
        WorkerHost host = WorkerHost.start(temporal, "crl", EnumSet.allOf(Role.class), resources)) {
      dir.putIdentity("temporal_address", temporal.address());
      RunLauncher.RunHandle curriculum = new RunLauncher(host.client()).start("cur-run", spec);
      dir.putIdentity("workflow_id", curriculum.workflowId());
      awaitCliStatus(dir.path(), s -> s.path("iteration").asInt() >= 1);

      Result status = crl("runs", "status", dir.path());
      assertEquals(0, status.code(), status.err());
      assertTrue(status.out().contains("crl-run-") && status.out().contains(" of 50"),
          "the status is the stage run's: " + status.out());
      Result stop = crl("runs", "stop", dir.path(), "--wait");
      assertEquals(0, stop.code(), stop.err() + stop.out());
      assertTrue(stop.out().contains("stop requested for crl-run-"), stop.out());
      // With its only stage stopped, the curriculum ends too.
      curriculum.stub().getResult(3, java.util.concurrent.TimeUnit.MINUTES, Map.class);
      Result ended = crl("runs", "status", dir.path());
      assertEquals(0, ended.code(), ended.err());
      assertTrue(ended.out().contains("crl-curriculum-cur-run (COMPLETED)"), ended.out());
    }
  }

  @Test
  void anUnreachableServerIsReportedQuicklyWithWhatToDo() throws Exception {
    RunDirectory dir = RunDirectory.create(tmp.resolve("gone"), "gone-run", FaultTestSupport.shortRun("gone", 2),
        Map.of("temporal_mode", "embedded", "curriculum", "false"));
    // The address of a Temporal service whose process has exited: nothing listens there.
    dir.putIdentity("temporal_address", "127.0.0.1:" + Ports.freePort());
    long start = System.nanoTime();
    Result r = crl("runs", "pause", dir.path());
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(2, r.code(), r.out());
    assertTrue(r.err().contains("cannot reach Temporal at 127.0.0.1:") && r.err().contains("crl runs resume "
        + dir.path()), r.err());
    assertTrue(millis < 30_000, "took " + millis + " ms");
  }

  @Test
  void aFinishedEmbeddedRunIsReportedFromItsReportOnceItsTemporalServiceIsGone() throws Exception {
    RunDirectory dir = RunDirectory.create(tmp.resolve("done"), "done-run", FaultTestSupport.shortRun("done", 2),
        Map.of("temporal_mode", "embedded", "curriculum", "false"));
    dir.putIdentity("temporal_address", "127.0.0.1:" + Ports.freePort());
    java.nio.file.Files.writeString(dir.report(), "{\"status\": \"completed\", \"iterations\": 2, \"eval\": []}");
    Result status = crl("runs", "status", dir.path());
    assertEquals(0, status.code(), status.err());
    assertTrue(status.out().contains("completed after 2 iterations") && status.out().contains("crl runs show"),
        status.out());
    Result stop = crl("runs", "stop", dir.path());
    assertEquals(2, stop.code());
    assertTrue(stop.err().contains("has ended (its report is written)"), stop.err());
  }

  @Test
  void anUnknownWorkflowAndAMissingTargetAreNamed() throws Exception {
    try (InProcessTemporal temporal = InProcessTemporal.start()) {
      Result r = crl("runs", "status", "--workflow-id", "run-nope", "--address", temporal.address());
      assertEquals(2, r.code(), r.out());
      assertTrue(r.err().contains("no workflow 'run-nope' in namespace 'default' at " + temporal.address()), r.err());
    }
    Result none = crl("runs", "stop");
    assertEquals(2, none.code());
    assertTrue(none.err().contains("name the run"), none.err());
    Result notARun = crl("runs", "status", tmp.resolve("nothing"));
    assertEquals(2, notARun.code());
    assertTrue(notARun.err().contains("is not a run directory"), notARun.err());
    Result badChange = crl("runs", "set", tmp.resolve("nothing"), "actor_lr");
    assertEquals(2, badChange.code());
    assertTrue(badChange.err().contains("expected KEY=VALUE"), badChange.err());
  }

  @Test
  void aRunDirectoryWithoutATemporalAddressAsksForOne() {
    RunDirectory dir = RunDirectory.create(tmp.resolve("old"), "old-run", FaultTestSupport.shortRun("old", 2),
        Map.of("temporal_mode", "embedded", "curriculum", "false"));
    Result r = crl("runs", "status", dir.path());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("does not record the address") && r.err().contains("--address"), r.err());
  }

  private static JsonNode cliStatus(Path dir) throws Exception {
    Result r = crl("runs", "status", dir, "--json");
    assertEquals(0, r.code(), r.err());
    return JSON.readTree(r.out()).path("status");
  }

  private static JsonNode awaitCliStatus(Path dir, Predicate<JsonNode> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode status = cliStatus(dir);
      if (condition.test(status)) {
        return status;
      }
      Thread.sleep(300);
    }
    throw new AssertionError("the status never reached the awaited state; last: " + cliStatus(dir));
  }
}
