package dev.crl.workflows;

import dev.crl.api.spec.RunSpec;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Runs the stages of {@code spec.curriculum()} one after another. Each attempt at a stage is a
 * child training run that starts from the checkpoints and bank the previous stage ended with; a
 * stage is passed when its final evaluation reaches the stage's promotion threshold.
 */
@WorkflowInterface
public interface CurriculumWorkflow {
  @WorkflowMethod
  CurriculumSummary run(String runId, RunSpec spec);
}
