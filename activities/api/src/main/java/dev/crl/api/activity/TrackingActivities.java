package dev.crl.api.activity;

import dev.crl.api.payload.EvalResult;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.RunSpec;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.Map;

/** Experiment tracking: MLflow or local metric files, and the run's report. */
@ActivityInterface
public interface TrackingActivities {

  /** Opens (or re-opens, on retry or resume) the tracking run with the whole spec as params. */
  @ActivityMethod
  void startTracking(String runId, RunSpec spec, Map<String, String> tags);

  /** Logs one iteration's metrics; a retry of the same step does not duplicate points. */
  @ActivityMethod
  void logMetrics(String runId, int step, Map<String, Double> metrics);

  /** Records an evaluation in the metrics and the report. */
  @ActivityMethod
  void recordEvaluation(String runId, EvalResult result);

  /** Closes the tracking run and writes the final report (report.json, curves). */
  @ActivityMethod
  void finishTracking(String runId, RunSummary summary);
}
