package dev.crl.workers.faults;

import dev.crl.activities.WorkerResources;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.spec.BackendsSpec;
import dev.crl.workers.runtime.ClusterTemporal;
import dev.crl.workers.runtime.WorkerHost;
import java.nio.file.Path;
import java.util.EnumSet;

/**
 * A worker in a process of its own, for tests that kill workers: the same code path as
 * {@code crl worker}, without the Quarkus boot that a test classpath cannot provide.
 * Arguments: temporal-port store-dir metrics-dir role[,role...].
 */
public final class WorkerProcessMain {
  private WorkerProcessMain() {}

  public static void main(String[] args) throws Exception {
    BackendsSpec backends = new BackendsSpec(new BackendsSpec.TemporalBackend("cluster", "127.0.0.1:" + args[0],
        "default", "crl", null, null, null), null, null, null);
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    for (String r : args[3].split(",")) {
      roles.add(Role.valueOf(r.toUpperCase(java.util.Locale.ROOT)));
    }
    ClusterTemporal temporal = ClusterTemporal.connect(backends.temporal());
    WorkerResources resources = WorkerResources.open(backends, Path.of(args[1]), Path.of(args[2]));
    WorkerHost.start(temporal, "crl", roles, resources);
    System.out.println("worker ready: " + roles);
    System.out.flush();
    Thread.currentThread().join();
  }
}
