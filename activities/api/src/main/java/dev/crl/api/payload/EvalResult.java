package dev.crl.api.payload;

import java.util.Map;

/**
 * One evaluation of an actor checkpoint: success with and without experience, overall and per task.
 *
 * @param iteration iteration the checkpoint belongs to
 * @param successWithout success rate without experience
 * @param successWith success rate with retrieved experience (NaN when the run uses none)
 * @param perTask per-task success rates, keyed {@code <env>/without} and {@code <env>/with}
 * @param reportKey object-store key of the full evaluation report
 */
public record EvalResult(
    int iteration, double successWithout, double successWith, Map<String, Double> perTask,
    String reportKey) {
  public EvalResult {
    perTask = Map.copyOf(perTask);
  }
}
