package dev.crl.workflows;

import dev.crl.api.payload.EvalResult;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Evaluates an actor checkpoint on held-out task instances, with and without retrieved
 * experience: the two columns of the paper's results table.
 */
@WorkflowInterface
public interface EvaluationWorkflow {
  @WorkflowMethod
  EvalResult evaluate(EvaluationRequest request);
}
