package dev.crl.workers.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.activities.WorkerResources;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.RunSpec;
import dev.crl.stores.LocalObjectStore;
import dev.crl.stores.MlflowServer;
import dev.crl.stores.TestSupport;
import dev.crl.workers.runtime.InProcessTemporal;
import dev.crl.workers.runtime.RunDirectory;
import dev.crl.workers.runtime.RunLauncher;
import dev.crl.workers.runtime.WorkerHost;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 1: the training worker, a process of its own, is killed with SIGKILL while an actor
 * update is in flight. A new worker process picks the retried activity up (after the heartbeat
 * timeout), it starts again from the checkpoint named in its input, and the run finishes with the
 * planned number of iterations. The run logs to a real {@code mlflow server} started by the test,
 * and MLflow, read back through its REST API, holds every iteration exactly once.
 */
class WorkerKillTest {
  private static final int ITERATIONS = 6;

  @Test
  void killingTheTrainingWorkerMidUpdateLosesNothing(@TempDir Path tmp) throws Exception {
    Path mlflowBin = TestSupport.requireTool("mlflow");
    Files.createDirectories(tmp.resolve("mlflow"));
    try (MlflowServer mlflow = new MlflowServer(mlflowBin, tmp.resolve("mlflow"))) {
      RunSpec spec = FaultTestSupport.shortRun("kill", ITERATIONS, FaultTestSupport.mlflowBackend(mlflow.url()));
      RunDirectory dir = RunDirectory.create(tmp.resolve("run"), "kill-run", spec, Map.of());
      RunSummary summary = runAndKillTheTrainer(spec, dir);
      assertEquals("completed", summary.status());
      assertEquals(ITERATIONS, summary.iterations());
      try (LocalObjectStore store = new LocalObjectStore(dir.objectStore())) {
        RunObjects.assertComplete(store, summary, FaultTestSupport.EPISODES_PER_ITERATION, true);
        FaultTestSupport.assertMlflowHasEveryIterationOnce(
            MlflowRunHistory.read(mlflow.url(), FaultTestSupport.MLFLOW_EXPERIMENT, "kill-run"), store, summary);
      }
    }
  }

  /**
   * Runs the workflow, rollout and experience roles in this JVM and the training role in a
   * worker process, which is killed (and replaced) until a kill lands inside an actor update.
   */
  private static RunSummary runAndKillTheTrainer(RunSpec spec, RunDirectory dir) throws Exception {
    try (InProcessTemporal temporal = InProcessTemporal.start();
        WorkerResources resources = WorkerResources.open(spec.backends(), dir.objectStore(), dir.metrics());
        WorkerHost host = WorkerHost.start(temporal, "crl",
            EnumSet.of(Role.WORKFLOW, Role.ROLLOUT, Role.EXPERIENCE), resources)) {
      Process trainer = startTrainer(temporal.port(), dir);
      try {
        RunLauncher.RunHandle run = new RunLauncher(host.client()).start("kill-run", spec);
        int killedAt = -1;
        Path actorDir = dir.objectStore().resolve("runs/kill-run/checkpoints/actor");
        while (killedAt < 0) {
          // The kill lands as soon as the worker has started an actor update, found through
          // Temporal's own view of the pending activity rather than the workflow's phase.
          int iteration = awaitStartedActorUpdate(temporal, run.workflowId(), actorDir, Duration.ofMinutes(4));
          if (iteration < 0) {
            break;
          }
          trainer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          // The kill counts only if the update had not written its checkpoint yet.
          if (!Files.exists(actorDir.resolve(String.format("v-%06d/manifest.json", iteration + 1)))) {
            killedAt = iteration;
          }
          trainer = startTrainer(temporal.port(), dir);
        }
        assertTrue(killedAt >= 0, "the test never caught an actor update in flight");
        System.out.printf("killed the training worker during the actor update of iteration %d%n", killedAt);
        return FaultTestSupport.awaitResult(run, Duration.ofMinutes(15));
      } finally {
        // Whatever happened, no worker process outlives the test.
        trainer.destroyForcibly();
      }
    }
  }

  /**
   * Waits until an UpdateActor activity is running on a worker and returns the run's iteration,
   * or -1 once the run is past its last update.
   */
  private static int awaitStartedActorUpdate(InProcessTemporal temporal, String workflowId, Path actorDir,
      Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      var info = temporal.stubs().blockingStub().describeWorkflowExecution(
          io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(temporal.namespace())
              .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(workflowId))
              .build());
      boolean running = info.getPendingActivitiesList().stream().anyMatch(a ->
          "UpdateActor".equals(a.getActivityType().getName())
              && a.getState() == io.temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
              && a.getAttempt() == 1);
      if (running) {
        // The update of iteration i writes version i + 1, manifest last; until it has, version i
        // is the newest complete checkpoint.
        try (var versions = Files.list(actorDir)) {
          return versions.filter(p -> Files.exists(p.resolve("manifest.json")))
              .map(p -> p.getFileName().toString()).filter(n -> n.startsWith("v-"))
              .mapToInt(n -> Integer.parseInt(n.substring(2))).max().orElse(0);
        }
      }
      if (info.getWorkflowExecutionInfo().getStatus()
          != io.temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return -1;
      }
      Thread.sleep(10);
    }
    return -1;
  }

  private static Process startTrainer(int port, RunDirectory dir) throws Exception {
    return FaultTestSupport.startJava(WorkerProcessMain.class, "worker ready", String.valueOf(port),
        dir.objectStore().toString(), dir.metrics().toString(), "training").process();
  }

}
