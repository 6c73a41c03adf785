package dev.crl.workers.runtime;

import dev.crl.activities.ResumeState;
import dev.crl.activities.WorkerResources;
import io.temporal.client.WorkflowClient;
import dev.crl.api.payload.RunState;
import dev.crl.api.spec.RunSpec;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import java.io.PrintStream;

/**
 * Resumes a run: if its workflow is still open on the Temporal service (the launcher crashed
 * and the embedded server came back on the same database), the restarted workers simply let it
 * continue; if it is closed or unknown (terminated, failed, or the in-process server lost it), a
 * new execution starts from the latest checkpoints and bank snapshot in the object store.
 */
public final class RunResumer {
  private final WorkflowClient client;
  private final TemporalService temporal;
  private final WorkerResources resources;

  public RunResumer(WorkflowClient client, TemporalService temporal, WorkerResources resources) {
    this.client = client;
    this.temporal = temporal;
    this.resources = resources;
  }

  public RunResumer(EmbeddedRuntime runtime) {
    this(runtime.host().client(), runtime.temporal(), runtime.resources());
  }

  public RunLauncher.RunHandle resume(RunDirectory dir, RunSpec spec, PrintStream out) {
    RunLauncher launcher = new RunLauncher(client);
    boolean curriculum = spec.hasCurriculum();
    RunLauncher.RunHandle existing = launcher.attach(dir.runId(), curriculum);
    if (isOpen(existing)) {
      out.println("resume: workflow " + existing.workflowId() + " is still open; its workers are back, it continues");
      return existing;
    }
    if (curriculum) {
      throw new IllegalArgumentException("resuming a closed curriculum is not supported yet; resume its current"
          + " stage's run directory instead");
    }
    RunState state = ResumeState.rebuild(resources, dir.runId(), spec);
    out.println("resume: starting a new execution at iteration " + state.nextIteration()
        + " from " + (state.actor() == null ? "scratch" : state.actor().key()));
    RunLauncher.RunHandle handle = launcher.start(dir.runId(), spec, state);
    dir.putIdentity("workflow_run_id", handle.temporalRunId());
    return handle;
  }

  private boolean isOpen(RunLauncher.RunHandle handle) {
    try {
      WorkflowExecutionInfo info = temporal.stubs().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(temporal.namespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(handle.workflowId()))
              .build()).getWorkflowExecutionInfo();
      return info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (io.grpc.StatusRuntimeException notFound) {
      return false;
    }
  }
}
