package dev.crl.workflows;

import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.spec.RunSpec;

/**
 * What to evaluate: one actor checkpoint of a run on the held-out instances of the spec's tasks.
 *
 * @param runId run identifier (the bank of this run supplies experience)
 * @param iteration actor updates behind the checkpoint (0 = the initial policy)
 * @param spec the run's resolved spec (tasks, evaluation settings, task queues)
 * @param actor the actor checkpoint to evaluate
 * @param withExperience whether to evaluate with retrieved experience next to without
 */
public record EvaluationRequest(
    String runId, int iteration, RunSpec spec, CheckpointRef actor, boolean withExperience) {}
