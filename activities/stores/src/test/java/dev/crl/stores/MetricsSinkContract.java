package dev.crl.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link MetricsSink} must have; each test uses a fresh run name. */
abstract class MetricsSinkContract {

  abstract MetricsSink sink();

  String runName;

  @BeforeEach
  void freshRunName() {
    runName = "run-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static List<Long> steps(RunSnapshot run, String key) {
    return run.series(key).stream().map(MetricPoint::step).toList();
  }

  static List<Double> values(RunSnapshot run, String key) {
    return run.series(key).stream().map(MetricPoint::value).toList();
  }

  @Test
  void startRunIsIdempotentByNameAndRecordsParamsAndTags() {
    String first = sink().startRun(runName, Map.of("actor.lr", "0.001", "tasks.0", "minihack-room"), Map.of("crl.preset", "room-tiny"));
    String second = sink().startRun(runName, Map.of("actor.lr", "0.001"), Map.of());
    assertEquals(first, second, "a retried or resumed start must continue the same run");
    RunSnapshot run = sink().readRun(first);
    assertEquals(runName, run.runName());
    assertEquals(RunStatus.RUNNING, run.status());
    assertEquals("0.001", run.params().get("actor.lr"));
    assertEquals("minihack-room", run.params().get("tasks.0"));
    assertEquals("room-tiny", run.tags().get("crl.preset"));
  }

  @Test
  void metricsAreReadBackPerKeyAndStep() {
    String id = sink().startRun(runName, Map.of(), Map.of());
    for (int step = 0; step < 5; step++) {
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("success/free", step / 10.0);
      metrics.put("success/guided", step / 5.0);
      metrics.put("loss.actor", 2.0 - step * 0.25);
      sink().logMetrics(id, step, metrics);
    }
    RunSnapshot run = sink().readRun(id);
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), steps(run, "success/free"));
    assertEquals(List.of(0.0, 0.2, 0.4, 0.6, 0.8), values(run, "success/guided"));
    assertEquals(List.of(2.0, 1.75, 1.5, 1.25, 1.0), values(run, "loss.actor"));
  }

  @Test
  void aRepeatedLogOfTheSameStepWritesNothingTwice() {
    String id = sink().startRun(runName, Map.of(), Map.of());
    sink().logMetrics(id, 0, Map.of("reward", 0.5));
    sink().logMetrics(id, 1, Map.of("reward", 0.6, "episode_length", 12.0));
    // The retry of step 1 (e.g. a re-run activity) carries recomputed values and one new key.
    sink().logMetrics(id, 1, Map.of("reward", 0.7, "episode_length", 13.0, "tokens_per_s", 900.0));
    RunSnapshot run = sink().readRun(id);
    assertEquals(List.of(0L, 1L), steps(run, "reward"));
    assertEquals(List.of(0.5, 0.6), values(run, "reward"), "the first write of a (key, step) wins");
    assertEquals(List.of(12.0), values(run, "episode_length"));
    assertEquals(List.of(1L), steps(run, "tokens_per_s"), "a key new at that step is still written");
  }

  @Test
  void aLateRetryOfAnOlderStepIsDetectedFromTheHistory() {
    String id = sink().startRun(runName, Map.of(), Map.of());
    sink().logMetrics(id, 1, Map.of("bank.size", 10.0, "gap", 1.0));
    sink().logMetrics(id, 2, Map.of("bank.size", 20.0));
    sink().logMetrics(id, 3, Map.of("bank.size", 30.0, "gap", 3.0));
    sink().logMetrics(id, 2, Map.of("bank.size", 99.0, "gap", 2.0));
    sink().logMetrics(id, 1, Map.of("bank.size", 99.0, "gap", 99.0));
    RunSnapshot run = sink().readRun(id);
    assertEquals(List.of(10.0, 20.0, 30.0), values(run, "bank.size"));
    assertEquals(List.of(1L, 2L, 3L), steps(run, "gap"));
    assertEquals(List.of(1.0, 2.0, 3.0), values(run, "gap"));
  }

  @Test
  void nonFiniteValuesSurviveTheRoundTrip() {
    String id = sink().startRun(runName, Map.of(), Map.of());
    sink().logMetrics(
        id, 0, Map.of("nan", Double.NaN, "inf", Double.POSITIVE_INFINITY, "neg", Double.NEGATIVE_INFINITY));
    RunSnapshot run = sink().readRun(id);
    assertTrue(Double.isNaN(values(run, "nan").get(0)));
    // MLflow's SQL store clamps infinities to the largest finite double; either form is accepted.
    double inf = values(run, "inf").get(0);
    double neg = values(run, "neg").get(0);
    assertTrue(inf == Double.POSITIVE_INFINITY || inf == Double.MAX_VALUE, "inf came back as " + inf);
    assertTrue(neg == Double.NEGATIVE_INFINITY || neg == -Double.MAX_VALUE, "-inf came back as " + neg);
  }

  @Test
  void aChangedParamOnResumeIsKeptAndTheNewValueBecomesATag() {
    String id = sink().startRun(runName, Map.of("actor.lr", "0.001"), Map.of());
    sink().startRun(runName, Map.of("actor.lr", "0.002", "eval.every", "5"), Map.of());
    RunSnapshot run = sink().readRun(id);
    assertEquals("0.001", run.params().get("actor.lr"));
    assertEquals("5", run.params().get("eval.every"));
    assertEquals("0.002", run.tags().get("crl.param_changed.actor.lr"));
  }

  @Test
  void tagsAndTheFinalStatusAreRecorded() {
    String id = sink().startRun(runName, Map.of(), Map.of("temporal.workflow_id", "wf-1"));
    sink().setTags(id, Map.of("temporal.workflow_id", "wf-2", "checkpoint.actor", "s3://b/runs/x/v-000003/"));
    sink().endRun(id, RunStatus.FINISHED);
    RunSnapshot run = sink().readRun(id);
    assertEquals(RunStatus.FINISHED, run.status());
    assertEquals("wf-2", run.tags().get("temporal.workflow_id"));
    assertEquals("s3://b/runs/x/v-000003/", run.tags().get("checkpoint.actor"));
  }

  @Test
  void badInputIsRejectedBeforeAnythingIsWritten() {
    String id = sink().startRun(runName, Map.of(), Map.of());
    assertThrows(IllegalArgumentException.class, () -> sink().logMetrics(id, 0, Map.of("success|task=room", 1.0)));
    assertThrows(IllegalArgumentException.class, () -> sink().logMetrics(id, -1, Map.of("ok", 1.0)));
    assertThrows(IllegalArgumentException.class, () -> sink().startRun("bad name!", Map.of(), Map.of()));
    assertTrue(sink().readRun(id).metrics().isEmpty());
  }
}
