package dev.crl.workflows;

import dev.crl.api.activity.TrackingActivities;
import dev.crl.api.payload.EvalResult;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.RunSpec;
import java.util.Map;

/** Records what would go to MLflow or the local metric files. */
final class FakeTrackingActivities implements TrackingActivities {
  private final CallLog log;

  FakeTrackingActivities(CallLog log) {
    this.log = log;
  }

  @Override
  public void startTracking(String runId, RunSpec spec, Map<String, String> tags) {
    log.record("startTracking", null, runId, spec, tags);
  }

  @Override
  public void logMetrics(String runId, int step, Map<String, Double> metrics) {
    log.record("logMetrics", null, runId, step, metrics);
  }

  @Override
  public void recordEvaluation(String runId, EvalResult result) {
    log.record("recordEvaluation", null, runId, result);
  }

  @Override
  public void finishTracking(String runId, RunSummary summary) {
    log.record("finishTracking", null, runId, summary);
  }
}
