package dev.crl.workers.runtime;

import dev.crl.activities.ResumeState;
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
  private final EmbeddedRuntime runtime;

  public RunResumer(EmbeddedRuntime runtime) {
    this.runtime = runtime;
  }

  public RunLauncher.RunHandle resume(RunDirectory dir, RunSpec spec, PrintStream out) {
    RunLauncher launcher = new RunLauncher(runtime.host().client());
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
    RunState state = ResumeState.rebuild(runtime.resources(), dir.runId(), spec);
    out.println("resume: starting a new execution at iteration " + state.nextIteration()
        + " from " + (state.actor() == null ? "scratch" : state.actor().key()));
    RunLauncher.RunHandle handle = launcher.start(dir.runId(), spec, state);
    dir.putIdentity("workflow_run_id", handle.temporalRunId());
    return handle;
  }

  private boolean isOpen(RunLauncher.RunHandle handle) {
    try {
      WorkflowExecutionInfo info = runtime.temporal().stubs().blockingStub().describeWorkflowExecution(
          DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(runtime.temporal().namespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(handle.workflowId()))
              .build()).getWorkflowExecutionInfo();
      return info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (io.grpc.StatusRuntimeException notFound) {
      return false;
    }
  }
}
