package dev.crl.workers.runtime;

import dev.crl.activities.ActivityImplementations;
import dev.crl.activities.WorkerResources;
import dev.crl.api.activity.TaskQueues;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.workflows.Workflows;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Polls the task queues of the roles this process plays. The embedded runtime plays all four;
 * a worker in a cluster plays the roles its hardware suits (rollout on CPU, training on GPU).
 */
public final class WorkerHost implements AutoCloseable {
  private final WorkflowClient client;
  private final WorkerFactory factory;
  private final Set<Role> roles;

  private WorkerHost(WorkflowClient client, WorkerFactory factory, Set<Role> roles) {
    this.client = client;
    this.factory = factory;
    this.roles = roles;
  }

  /** Registers the roles' workflows and activities and starts polling. */
  public static WorkerHost start(
      TemporalService temporal, String queuePrefix, Set<Role> roles, WorkerResources resources) {
    WorkflowClient client = WorkflowClient.newInstance(temporal.stubs(),
        WorkflowClientOptions.newBuilder().setNamespace(temporal.namespace()).build());
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Map<Role, List<Object>> activities = ActivityImplementations.create(resources);
    for (Role role : roles) {
      Worker worker = factory.newWorker(TaskQueues.queue(queuePrefix, role), optionsFor(role));
      if (role == Role.WORKFLOW) {
        worker.registerWorkflowImplementationTypes(Workflows.all().toArray(Class<?>[]::new));
      }
      if (!activities.get(role).isEmpty()) {
        worker.registerActivitiesImplementations(activities.get(role).toArray());
      }
    }
    factory.start();
    return new WorkerHost(client, factory, EnumSet.copyOf(roles));
  }

  /**
   * Training and rollouts are CPU- or GPU-bound: one activity at a time per worker keeps a
   * model's memory and threads to itself; the experience queue serves short calls concurrently.
   */
  private static WorkerOptions optionsFor(Role role) {
    int concurrency = switch (role) {
      case TRAINING, ROLLOUT -> 1;
      case EXPERIENCE -> 4;
      case WORKFLOW -> 50;
    };
    return WorkerOptions.newBuilder()
        .setMaxConcurrentActivityExecutionSize(concurrency)
        // The first workflow task of a cold JVM on a busy 2-core machine can exceed the SDK's
        // 1 s deadlock detector while classes load; 10 s still catches real deadlocks.
        .setDefaultDeadlockDetectionTimeout(10_000)
        .build();
  }

  public WorkflowClient client() {
    return client;
  }

  public Set<Role> roles() {
    return roles;
  }

  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
  }
}
