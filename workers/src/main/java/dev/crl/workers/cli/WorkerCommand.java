package dev.crl.workers.cli;

import dev.crl.activities.WorkerResources;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.spec.BackendOverrides;
import dev.crl.api.spec.BackendsSpec;
import dev.crl.api.spec.RunSpec;
import dev.crl.workers.runtime.ClusterTemporal;
import dev.crl.workers.runtime.TemporalService;
import dev.crl.workers.runtime.WorkerHost;
import dev.crl.workers.runtime.WorkerState;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code crl worker}: a long-lived worker process that polls the task queues of its roles on a
 * Temporal service and serves health endpoints and the control-plane API over HTTP.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = {
      "Run a worker process for the given roles until stopped (SIGTERM / Ctrl-C).",
      "Backends come from the environment: CRL_S3_ENDPOINT, QDRANT_URL, MLFLOW_TRACKING_URI ...",
      "(see docs/configuration.md); by default the object store and metrics are local folders.",
      "HTTP: /health/live, /health/ready and /api/runs on CRL_HTTP_PORT (default 8080)."
    })
public class WorkerCommand implements Callable<Integer> {
  @Spec CommandSpec command;

  @Option(names = "--roles", split = ",", defaultValue = "workflow,rollout,experience,training",
      description = "Roles to play (default: ${DEFAULT-VALUE}).")
  List<Role> roles;

  @Option(names = "--temporal", required = true, paramLabel = "HOST:PORT",
      description = "Temporal frontend address.")
  String temporalAddress;

  @Option(names = "--namespace", defaultValue = "default", description = "Temporal namespace.")
  String namespace;

  @Option(names = "--queue-prefix", defaultValue = "crl", description = "Task queue prefix.")
  String queuePrefix;

  @Option(names = "--store", paramLabel = "DIR", defaultValue = "crl-store",
      description = "Local object store folder when no S3 endpoint is configured.")
  Path store;

  @Option(names = "--metrics-dir", paramLabel = "DIR", defaultValue = "crl-metrics",
      description = "Local metrics folder when no MLflow URI is configured.")
  Path metricsDir;

  @Override
  public Integer call() throws InterruptedException {
    BackendsSpec backends = BackendOverrides.apply(new RunSpec(null, null, null, null, null, null,
        new BackendsSpec(new BackendsSpec.TemporalBackend("cluster", temporalAddress, namespace,
            queuePrefix, null, null, null), null, null, null), null), System.getenv()).backends();
    Set<Role> roleSet = EnumSet.copyOf(roles);
    CountDownLatch stopped = new CountDownLatch(1);
    try (TemporalService temporal = ClusterTemporal.connect(backends.temporal());
        WorkerResources resources = WorkerResources.open(backends, store, metricsDir);
        WorkerHost host = WorkerHost.start(temporal, queuePrefix, roleSet, resources)) {
      WorkerState.set(host);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "crl-worker-stop"));
      command.commandLine().getOut().println("crl worker: roles " + roleSet + " on " + temporal.describe()
          + "; object store " + resources.describeObjectStore());
      command.commandLine().getOut().flush();
      stopped.await();
    } finally {
      WorkerState.clear();
    }
    return 0;
  }
}
