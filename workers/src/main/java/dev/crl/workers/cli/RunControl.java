package dev.crl.workers.cli;

import dev.crl.api.payload.HyperparameterChange;
import dev.crl.api.payload.RunStatus;
import dev.crl.api.spec.AlgorithmSpec;
import dev.crl.workers.UserError;
import dev.crl.workers.runtime.ClusterTemporal;
import dev.crl.workflows.TrainingRunWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.PendingChildExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.TemporalFailure;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A client-side handle on one run's workflow for the control commands: where it is, whether it
 * is still open, its status query, and the pause / unpause / stop signals and the hyperparameter
 * update of {@link TrainingRunWorkflow}. Every failure a user can act on (server unreachable, no
 * such workflow, workflow already closed, no worker to answer) becomes a {@link UserError} that
 * says what to do.
 */
final class RunControl implements AutoCloseable {
  /** How long a control command waits for the frontend before calling it unreachable. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final RunTarget target;
  private final ClusterTemporal temporal;
  private final WorkflowClient client;

  private RunControl(RunTarget target, ClusterTemporal temporal) {
    this.target = target;
    this.temporal = temporal;
    this.client = WorkflowClient.newInstance(temporal.stubs(),
        WorkflowClientOptions.newBuilder().setNamespace(target.temporal().namespace()).build());
  }

  /** Connects to the target's frontend, failing within {@link #CONNECT_TIMEOUT} if it does not answer. */
  static RunControl connect(RunTarget target) {
    ClusterTemporal temporal = ClusterTemporal.connect(target.temporal());
    try {
      // The SDK's own calls retry an unreachable server for a long time; a deadline-bound probe
      // without retries tells the user at once.
      temporal.stubs().blockingStub().withDeadlineAfter(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      return new RunControl(target, temporal);
    } catch (StatusRuntimeException e) {
      temporal.close();
      throw new UserError(unreachable(target, e), e);
    }
  }

  /**
   * The open training-run execution the commands act on. For a curriculum this is the stage run
   * in progress, found as the curriculum's pending child.
   *
   * @throws UserError when the workflow does not exist or has closed
   */
  OpenRun openRun() {
    return findOpenRun().orElseThrow(() -> new UserError("the curriculum " + target.describe()
        + " is between stages (no stage run is open); try again in a moment"));
  }

  /**
   * Like {@link #openRun()}, but empty instead of failing while a curriculum is between stages
   * (starting, or evaluating a stage's result).
   */
  Optional<OpenRun> findOpenRun() {
    DescribeWorkflowExecutionResponse run = describe(target.workflowId());
    requireOpen(run);
    if (!"CurriculumWorkflow".equals(run.getWorkflowExecutionInfo().getType().getName())) {
      return Optional.of(new OpenRun(target.workflowId(), run));
    }
    for (PendingChildExecutionInfo child : run.getPendingChildrenList()) {
      if ("TrainingRunWorkflow".equals(child.getWorkflowTypeName())) {
        // The parent lists a child as pending from the moment it asks to start it until it has
        // seen it close, so the stage may not exist yet, or may just have ended.
        Optional<DescribeWorkflowExecutionResponse> stage = describeIfExists(child.getWorkflowId());
        if (stage.isPresent() && stage.get().getWorkflowExecutionInfo().getStatus()
            == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
          return Optional.of(new OpenRun(child.getWorkflowId(), stage.get()));
        }
      }
    }
    return Optional.empty();
  }

  private Optional<DescribeWorkflowExecutionResponse> describeIfExists(String workflowId) {
    try {
      return Optional.of(describe(workflowId));
    } catch (UserError e) {
      if (e.getCause() instanceof StatusRuntimeException grpc && grpc.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** The workflow as the server describes it, open or closed. */
  DescribeWorkflowExecutionResponse describe(String workflowId) {
    try {
      return temporal.stubs().blockingStub().withDeadlineAfter(30, TimeUnit.SECONDS)
          .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
              .setNamespace(target.temporal().namespace())
              .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
              .build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw new UserError("no workflow '" + workflowId + "' in namespace '" + target.temporal().namespace()
            + "' at " + target.temporal().address() + " (" + e.getStatus().getDescription() + ")" + (target.embedded()
                ? "; the Temporal service at that address is not this run's: its process has exited and the"
                    + " port was reused. 'crl runs resume " + target.runDir() + "' continues the run"
                : ""), e);
      }
      throw new UserError(unreachable(target, e), e);
    }
  }

  /** Answers the run's status query; it needs a workflow worker polling the run's queue. */
  RunStatus status(OpenRun run) {
    try {
      return stub(run).status();
    } catch (WorkflowException | StatusRuntimeException e) {
      throw new UserError("the run did not answer its status query (" + rootMessage(e) + "); a worker with the"
          + " workflow role must be running for queries, signals are stored until one is", e);
    }
  }

  void pause(OpenRun run) {
    signal(run, "pause", () -> stub(run).pause());
  }

  void unpause(OpenRun run) {
    signal(run, "unpause", () -> stub(run).resume());
  }

  void stop(OpenRun run) {
    signal(run, "stop", () -> stub(run).stop());
  }

  /** Changes one hyperparameter; the workflow's validator rejects bad changes before they apply. */
  AlgorithmSpec change(OpenRun run, HyperparameterChange change) {
    try {
      return stub(run).updateHyperparameters(change);
    } catch (WorkflowUpdateException rejected) {
      throw new UserError("the run rejected the change: " + rootMessage(rejected), rejected);
    } catch (WorkflowException | StatusRuntimeException e) {
      throw new UserError("the hyperparameter update did not complete (" + rootMessage(e) + "); a worker with the"
          + " workflow role must be running to apply it", e);
    }
  }

  /** Waits until the workflow closes, at most {@code timeout}, and returns its status then. */
  WorkflowExecutionStatus awaitClosed(String workflowId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      WorkflowExecutionStatus status = describe(workflowId).getWorkflowExecutionInfo().getStatus();
      if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING || System.nanoTime() > deadline) {
        return status;
      }
      Thread.sleep(500);
    }
  }

  RunTarget target() {
    return target;
  }

  private TrainingRunWorkflow stub(OpenRun run) {
    return client.newWorkflowStub(TrainingRunWorkflow.class, run.workflowId());
  }

  private void signal(OpenRun run, String name, Runnable send) {
    try {
      send.run();
    } catch (WorkflowException | StatusRuntimeException e) {
      throw new UserError("the " + name + " signal was not delivered to " + target.describe() + ": "
          + rootMessage(e), e);
    }
  }

  private void requireOpen(DescribeWorkflowExecutionResponse run) {
    WorkflowExecutionStatus status = run.getWorkflowExecutionInfo().getStatus();
    if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      boolean resumable = status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
          && target.runDir() != null;
      throw new UserError("the run's " + target.describe() + " has ended (" + statusName(status) + ")"
          + (resumable ? "; 'crl runs resume " + target.runDir() + "' starts a new execution from its latest"
              + " checkpoint" : ""));
    }
  }

  /** A workflow status as a word: RUNNING, COMPLETED, TERMINATED ... */
  static String statusName(WorkflowExecutionStatus status) {
    return status.name().replace("WORKFLOW_EXECUTION_STATUS_", "");
  }

  private static String unreachable(RunTarget target, StatusRuntimeException e) {
    String why = e.getStatus().getCode().name().toLowerCase(Locale.ROOT)
        + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription());
    if (target.finished()) {
      return "the run in " + target.runDir() + " has ended (its report is written), and its embedded Temporal"
          + " service at " + target.temporal().address() + " stopped with the process that ran it; 'crl runs show "
          + target.runDir() + "' shows the result";
    }
    String hint = target.embedded()
        ? "; the run's Temporal service lives in the process that runs it (crl train or crl runs resume), so"
            + " that process has probably exited: 'crl runs resume " + target.runDir() + "' continues the run"
        : "; check --address and that the Temporal frontend is up";
    return "cannot reach Temporal at " + target.temporal().address() + " (" + why + ")" + hint;
  }

  /** The innermost cause's message; for a failure raised in the workflow, its own words. */
  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause instanceof TemporalFailure failure ? failure.getOriginalMessage() : String.valueOf(cause.getMessage());
  }

  @Override
  public void close() {
    temporal.close();
  }

  /**
   * An open training-run execution.
   *
   * @param workflowId its workflow id (a stage's, for a curriculum)
   * @param description the server's description of it
   */
  record OpenRun(String workflowId, DescribeWorkflowExecutionResponse description) {}
}
