package dev.crl.workers.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Timestamps;
import dev.crl.activities.WorkerResources;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.RunSpec;
import dev.crl.stores.MlflowServer;
import dev.crl.stores.S3ObjectStore;
import dev.crl.stores.S3ProxyServer;
import dev.crl.stores.S3StoreConfig;
import dev.crl.stores.TestSupport;
import dev.crl.workers.runtime.InProcessTemporal;
import dev.crl.workers.runtime.RunDirectory;
import dev.crl.workers.runtime.RunLauncher;
import dev.crl.workers.runtime.WorkerHost;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault 3 inside a whole run: in the middle of a training run the S3 server (S3Proxy) becomes
 * unreachable, and right after it comes back the MLflow server (a real {@code mlflow server}
 * process) does. Each outage lasts {@value #DEFAULT_OUTAGE_SECONDS} s, longer if the run has not
 * yet shown that it met it (an attempt retried after an S3 failure; a tracking call started
 * while MLflow was away), and each server comes back on the same port with the same data. The
 * outages are one after the other because each stalls the run: with both down at once the run
 * would wait on one and might never touch the other. Activities that meet an outage fail and are
 * retried by Temporal (MLflow calls also retry inside the sink); the run finishes every
 * iteration, every checkpoint, trajectory and bank object is in S3 and whole, and MLflow, read
 * through its REST API, holds every iteration's metrics exactly once.
 *
 * <p>The servers are stopped, not firewalled: S3Proxy is shut down and started again over the
 * same directory, and the mlflow server is terminated and started again on the same SQLite
 * store, so the outage also covers connections cut mid-request and stale pooled connections.
 * MLflow's outage is therefore the watch plus the time its server takes to start again.
 */
class BackendOutageTest {
  static final int DEFAULT_OUTAGE_SECONDS = 30;
  private static final int ITERATIONS = 4;
  private static final String RUN_ID = "outage-run";

  /** An outage ends by this time even if the run never showed that it met it (the test then fails). */
  private static final Duration LONGEST_OUTAGE = Duration.ofMinutes(3);

  /** {@code -Dcrl.runOutageSeconds=N} shortens the outage when iterating on this test by hand. */
  private static final int OUTAGE_SECONDS = Integer.getInteger("crl.runOutageSeconds", DEFAULT_OUTAGE_SECONDS);

  @Test
  void s3ThenMlflowUnreachableFor30SecondsMidRunLoseNothing(@TempDir Path tmp) throws Exception {
    Path mlflowBin = TestSupport.requireTool("mlflow");
    Path s3Data = Files.createDirectories(tmp.resolve("s3"));
    Path mlflowDir = Files.createDirectories(tmp.resolve("mlflow"));
    // Fixed ports below the ephemeral range, so the servers can come back on them (see freePort).
    int s3Port = TestSupport.freePort();
    int mlflowPort = TestSupport.freePort();
    Servers servers = new Servers();
    try {
      servers.s3 = new S3ProxyServer(s3Data, s3Port);
      servers.mlflow = new MlflowServer(mlflowBin, mlflowDir, mlflowPort);
      RunSpec spec = FaultTestSupport.shortRun("outage", ITERATIONS, backends(s3Port, mlflowPort));
      RunDirectory dir = RunDirectory.create(tmp.resolve("run"), RUN_ID, spec, Map.of());
      RunSummary summary;
      try (InProcessTemporal temporal = InProcessTemporal.start();
          WorkerResources resources = WorkerResources.open(spec.backends(), dir.objectStore(), dir.metrics());
          WorkerHost host = WorkerHost.start(temporal, "crl", EnumSet.allOf(Role.class), resources)) {
        long start = System.nanoTime();
        RunLauncher.RunHandle run = new RunLauncher(host.client()).start(RUN_ID, spec);
        FaultTestSupport.awaitStatus(run, s -> s.iteration() >= 1, Duration.ofMinutes(5));
        System.out.printf("outage starts at iteration %d, %d s into the run%n",
            run.status().map(s -> s.iteration()).orElse(-1), (System.nanoTime() - start) / 1_000_000_000);

        // First S3 alone: rollouts, training, snapshots and the tracking activity's copies fail
        // fast and Temporal retries them with backoff.
        long s3Down = System.nanoTime();
        servers.s3.close();
        servers.s3 = null;
        assertFalse(accepts(s3Port), "S3 is unreachable during its outage");
        Predicate<SeenAttempt> retriedAfterS3Failure =
            a -> a.attempt() > 1 && a.lastFailure().contains("cannot reach S3");
        Set<SeenAttempt> duringS3Outage = watchPendingActivities(temporal, run.workflowId(), retriedAfterS3Failure);
        assertTrue(isRunning(temporal, run.workflowId()), "the run cannot finish without S3");
        servers.s3 = new S3ProxyServer(s3Data, s3Port);
        System.out.printf("S3 unreachable for %d ms; pending activities meanwhile: %s%n",
            (System.nanoTime() - s3Down) / 1_000_000, duringS3Outage);
        assertTrue(duringS3Outage.stream().anyMatch(retriedAfterS3Failure),
            "some activity must have met the S3 outage and been retried: " + duringS3Outage);

        // Then MLflow alone: the tracking activity's calls keep retrying inside the MLflow sink
        // (and, past its retry window, through Temporal) until the server is back.
        long mlflowDown = System.nanoTime();
        long mlflowDownMillis = System.currentTimeMillis();
        servers.mlflow.close();
        servers.mlflow = null;
        assertFalse(accepts(mlflowPort), "MLflow is unreachable during its outage");
        // An attempt that started after MLflow went away and is still running waits for it: every
        // tracking activity calls MLflow before it can finish.
        Predicate<SeenAttempt> waitingForMlflow = a -> TRACKING_ACTIVITIES.contains(a.type())
            && "STARTED".equals(a.state()) && a.startedMillis() >= mlflowDownMillis;
        Set<SeenAttempt> duringMlflowOutage = watchPendingActivities(temporal, run.workflowId(), waitingForMlflow);
        assertTrue(isRunning(temporal, run.workflowId()), "the run cannot finish without MLflow");
        servers.mlflow = new MlflowServer(mlflowBin, mlflowDir, mlflowPort);
        System.out.printf("MLflow unreachable for %d ms (the outage, then the server's start); pending activities"
            + " meanwhile: %s%n", (System.nanoTime() - mlflowDown) / 1_000_000, duringMlflowOutage);
        assertTrue(duringMlflowOutage.stream().anyMatch(waitingForMlflow),
            "a tracking activity must have been waiting for MLflow: " + duringMlflowOutage);
        summary = FaultTestSupport.awaitResult(run, Duration.ofMinutes(15));
        System.out.printf("run finished %d s after it started%n", (System.nanoTime() - start) / 1_000_000_000);
      }
      assertEquals("completed", summary.status());
      assertEquals(ITERATIONS, summary.iterations());
      try (S3ObjectStore s3 = new S3ObjectStore(S3StoreConfig.builder().setEndpoint(servers.s3.endpoint())
          .setBucket(BUCKET).optCredentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY).build())) {
        int objects = RunObjects.assertComplete(s3, summary, FaultTestSupport.EPISODES_PER_ITERATION, true);
        System.out.printf("S3 holds all %d expected objects of the run, whole%n", objects);
        FaultTestSupport.assertMlflowHasEveryIterationOnce(
            MlflowRunHistory.read(servers.mlflow.url(), FaultTestSupport.MLFLOW_EXPERIMENT, RUN_ID), s3, summary);
      }
      assertFalse(Files.exists(dir.objectStore()), "nothing went to the local store: the run used S3");
    } finally {
      servers.close();
    }
  }

  private static final String BUCKET = "crl-outage";

  private static String backends(int s3Port, int mlflowPort) {
    return """
        backends:
          object_store:
            kind: s3
            endpoint: http://127.0.0.1:%d
            bucket: %s
            access_key: %s
            secret_key: %s
          metrics:
            kind: mlflow
            tracking_uri: http://127.0.0.1:%d
            experiment: %s
        """.formatted(s3Port, BUCKET, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, mlflowPort,
        FaultTestSupport.MLFLOW_EXPERIMENT);
  }

  /** Activity types of the tracking activities, which are the ones that talk to MLflow. */
  private static final Set<String> TRACKING_ACTIVITIES =
      Set.of("StartTracking", "LogMetrics", "RecordEvaluation", "FinishTracking");

  /** One attempt of an activity as Temporal showed it pending. */
  record SeenAttempt(String type, int attempt, String state, long startedMillis, String lastFailure) {
    @Override
    public String toString() {
      return type + " attempt " + attempt + " " + state
          + (lastFailure.isEmpty() ? "" : " after: " + lastFailure.substring(0, Math.min(110, lastFailure.length())));
    }
  }

  /**
   * Watches the run's pending activities while a server is down and returns every attempt it saw:
   * for at least the outage's length, and beyond it (up to {@link #LONGEST_OUTAGE}) until an
   * attempt shows that the run met the outage. Where the run is when a server goes down, and so
   * when it first needs the server, depends on timing and retry backoff; waiting for the evidence
   * keeps the test from passing or failing by luck.
   */
  private static Set<SeenAttempt> watchPendingActivities(InProcessTemporal temporal, String workflowId,
      Predicate<SeenAttempt> evidence) throws InterruptedException {
    Set<SeenAttempt> seen = new LinkedHashSet<>();
    long start = System.nanoTime();
    long minimum = start + Duration.ofSeconds(OUTAGE_SECONDS).toNanos();
    long deadline = start + LONGEST_OUTAGE.toNanos();
    while (System.nanoTime() < deadline
        && (System.nanoTime() < minimum || seen.stream().noneMatch(evidence))) {
      for (PendingActivityInfo activity : describe(temporal, workflowId).getPendingActivitiesList()) {
        seen.add(new SeenAttempt(activity.getActivityType().getName(), activity.getAttempt(),
            activity.getState().name().replace("PENDING_ACTIVITY_STATE_", ""),
            Timestamps.toMillis(activity.getLastStartedTime()),
            activity.hasLastFailure() ? activity.getLastFailure().getMessage() : ""));
      }
      Thread.sleep(500);
    }
    return seen;
  }

  private static boolean isRunning(InProcessTemporal temporal, String workflowId) {
    return describe(temporal, workflowId).getWorkflowExecutionInfo().getStatus()
        == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }

  private static DescribeWorkflowExecutionResponse describe(InProcessTemporal temporal, String workflowId) {
    return temporal.stubs().blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
        .setNamespace(temporal.namespace())
        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
        .build());
  }

  private static boolean accepts(int port) {
    try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /** The two servers, replaced by new ones after the outage; whichever runs is stopped at the end. */
  private static final class Servers implements AutoCloseable {
    S3ProxyServer s3;
    MlflowServer mlflow;

    @Override
    public void close() throws Exception {
      try {
        if (mlflow != null) {
          mlflow.close();
        }
      } finally {
        mlflow = null;
        if (s3 != null) {
          s3.close();
        }
        s3 = null;
      }
    }
  }
}
