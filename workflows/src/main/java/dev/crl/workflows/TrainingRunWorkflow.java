package dev.crl.workflows;

import dev.crl.api.payload.HyperparameterChange;
import dev.crl.api.payload.RunState;
import dev.crl.api.payload.RunStatus;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.AlgorithmSpec;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One Complementary RL training run over a task mixture: the actor and the extractor co-evolve
 * through rollouts, actor updates and a background experience track. Baselines are modes of the
 * same run ({@code algorithm.mode}), not separate workflows.
 */
@WorkflowInterface
public interface TrainingRunWorkflow {

  /** Runs (or, after continue-as-new or a resume, goes on with) the run described by state. */
  @WorkflowMethod
  RunSummary run(RunState state);

  /** Pauses before the next iteration; work already started finishes. */
  @SignalMethod
  void pause();

  /** Resumes a paused run. */
  @SignalMethod
  void resume();

  /** Stops gracefully: finishes the current iteration, snapshots the bank, then ends. */
  @SignalMethod
  void stop();

  /** Where the run is: iteration, phase, last metrics and evaluations. */
  @QueryMethod
  RunStatus status();

  /**
   * Changes one algorithm hyperparameter from the next iteration on and returns the new
   * algorithm section. The validator rejects the change before it enters history.
   */
  @UpdateMethod
  AlgorithmSpec updateHyperparameters(HyperparameterChange change);

  /** Rejects unknown keys, invalid values and mode changes with the spec checker's message. */
  @UpdateValidatorMethod(updateName = "updateHyperparameters")
  void validateHyperparameters(HyperparameterChange change);
}
