package dev.crl.api.payload;

import java.util.List;
import java.util.Map;

/**
 * What the status query of a training run answers.
 *
 * @param runId run identifier
 * @param iteration the iteration in progress (or next)
 * @param iterations iterations in the budget
 * @param phase what the run is doing now (rollout, update_actor, distill, evaluate, paused ...)
 * @param paused whether the run is paused
 * @param stopRequested whether a graceful stop was requested
 * @param lastStats metrics of the last finished iteration
 * @param evalHistory evaluations so far
 */
public record RunStatus(
    String runId,
    int iteration,
    int iterations,
    String phase,
    boolean paused,
    boolean stopRequested,
    Map<String, Double> lastStats,
    List<EvalResult> evalHistory) {}
