package dev.crl.workers.runtime;

import dev.crl.api.activity.TaskQueues;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.payload.RunState;
import dev.crl.api.payload.RunStatus;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.RunSpec;
import dev.crl.workflows.CurriculumWorkflow;
import dev.crl.workflows.TrainingRunWorkflow;
import dev.crl.workflows.WorkflowIds;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.Optional;

/** Starts training runs and curricula as workflows and gives handles to follow them. */
public final class RunLauncher {
  private final WorkflowClient client;

  public RunLauncher(WorkflowClient client) {
    this.client = client;
  }

  /** Starts a new run (or a curriculum, when the spec has stages) from the beginning. */
  public RunHandle start(String runId, RunSpec spec) {
    return start(runId, spec, RunState.fresh(runId, spec));
  }

  /** Starts a run from a given state: fresh, or rebuilt from the store by {@code crl runs resume}. */
  public RunHandle start(String runId, RunSpec spec, RunState state) {
    String queue = TaskQueues.queue(spec.backends().temporal().taskQueuePrefix(), Role.WORKFLOW);
    if (spec.hasCurriculum()) {
      WorkflowOptions options = options(WorkflowIds.curriculum(runId), queue);
      CurriculumWorkflow workflow = client.newWorkflowStub(CurriculumWorkflow.class, options);
      WorkflowClient.start(workflow::run, runId, spec);
      return new RunHandle(client, WorkflowStub.fromTyped(workflow), runId, true, WorkflowIds.curriculum(runId));
    }
    WorkflowOptions options = options(WorkflowIds.run(runId), queue);
    TrainingRunWorkflow workflow = client.newWorkflowStub(TrainingRunWorkflow.class, options);
    WorkflowClient.start(workflow::run, state);
    return new RunHandle(client, WorkflowStub.fromTyped(workflow), runId, false, WorkflowIds.run(runId));
  }

  /** A handle on a run whose workflow already exists (after a crash of the launcher). */
  public RunHandle attach(String runId, boolean curriculum) {
    String id = curriculum ? WorkflowIds.curriculum(runId) : WorkflowIds.run(runId);
    return new RunHandle(client, client.newUntypedWorkflowStub(id, Optional.empty(), Optional.empty()),
        runId, curriculum, id);
  }

  private static WorkflowOptions options(String workflowId, String queue) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(queue)
        // A resumed run reuses its id once the earlier execution is closed (terminated or failed).
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
        .build();
  }

  /** A started run: its status while it runs and its summary when it ends. */
  public record RunHandle(
      WorkflowClient client, WorkflowStub stub, String runId, boolean curriculum, String workflowId) {

    /** The current status, or empty while the workflow cannot answer queries yet. */
    public Optional<RunStatus> status() {
      try {
        return Optional.ofNullable(stub.query("status", RunStatus.class));
      } catch (RuntimeException notYet) {
        return Optional.empty();
      }
    }

    /** Blocks until the run ends. */
    public RunSummary result() {
      return stub.getResult(RunSummary.class);
    }

    public String temporalRunId() {
      return stub.getExecution().getRunId();
    }
  }
}
