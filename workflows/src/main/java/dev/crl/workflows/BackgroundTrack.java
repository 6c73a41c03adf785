package dev.crl.workflows;

import dev.crl.api.activity.ExperienceActivities;
import dev.crl.api.activity.TrainingActivities;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.payload.DistillRequest;
import dev.crl.api.payload.DistillResult;
import dev.crl.api.payload.ExtractorUpdateRequest;
import dev.crl.api.payload.TrainResult;
import dev.crl.api.spec.AlgorithmSpec;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The experience track of a run, which never blocks the primary loop: distillation of finished
 * episodes into bank operations, extractor updates whenever the sample buffer is full, and
 * periodic bank merges. Work is started asynchronously and its results are absorbed when the
 * loop next looks ({@link #collectFinished}); checking whether a promise has completed is
 * deterministic in Temporal, so replays absorb the same results at the same points.
 *
 * <p>Outstanding work is bounded ({@value #MAX_OUTSTANDING_DISTILLS} distillations, one extractor
 * update, one merge) so the history stays bounded; when the loop outruns distillation, starting
 * another distillation waits for the oldest, which is back-pressure rather than blocking.
 */
final class BackgroundTrack {
  static final int MAX_OUTSTANDING_DISTILLS = 2;

  private final ExperienceActivities experience;
  private final TrainingActivities training;
  private final Deque<Promise<DistillResult>> distills = new ArrayDeque<>();
  private Promise<TrainResult> extractorUpdate;
  private Promise<DistillResult> merge;

  private CheckpointRef extractor;
  private long extractorStep;
  private List<String> pendingSampleKeys;
  private int pendingSamples;
  private int bankSize = -1;
  private final Map<String, Double> sinceLastReport = new TreeMap<>();

  BackgroundTrack(ExperienceActivities experience, TrainingActivities training,
      CheckpointRef extractor, long extractorStep, List<String> pendingSampleKeys,
      int pendingSamples) {
    this.experience = experience;
    this.training = training;
    this.extractor = extractor;
    this.extractorStep = extractorStep;
    this.pendingSampleKeys = new ArrayList<>(pendingSampleKeys);
    this.pendingSamples = pendingSamples;
  }

  /** Starts distilling an iteration's episodes, waiting for the oldest if too many are out. */
  void startDistill(String runId, int iteration, List<String> trajectoryKeys,
      AlgorithmSpec algorithm) {
    while (distills.size() >= MAX_OUTSTANDING_DISTILLS) {
      Promise<DistillResult> oldest = distills.removeFirst();
      absorbDistill(oldest.get(), algorithm);
    }
    DistillRequest request = new DistillRequest(runId, iteration, extractor, trajectoryKeys);
    distills.addLast(Async.function(experience::distill, request));
  }

  /** Starts a bank merge with the current extractor, after any merge still running. */
  void startMerge(String runId, int iteration) {
    if (merge != null) {
      absorbMerge(merge.get());
    }
    merge = Async.function(experience::mergeBank, runId, iteration, extractor);
  }

  /**
   * Absorbs whatever background work has finished, without waiting, and starts an extractor
   * update when the buffer is full and the extractor learns in this mode.
   */
  void collectFinished(String runId, AlgorithmSpec algorithm) {
    for (Iterator<Promise<DistillResult>> it = distills.iterator(); it.hasNext(); ) {
      Promise<DistillResult> promise = it.next();
      if (promise.isCompleted()) {
        it.remove();
        absorbDistill(promise.get(), algorithm);
      }
    }
    if (merge != null && merge.isCompleted()) {
      absorbMerge(merge.get());
      merge = null;
    }
    if (extractorUpdate != null && extractorUpdate.isCompleted()) {
      absorbExtractorUpdate(extractorUpdate.get());
      extractorUpdate = null;
    }
    maybeStartExtractorUpdate(runId, algorithm);
  }

  /** Waits for all outstanding work (before continue-as-new and before the run ends). */
  void drain(AlgorithmSpec algorithm) {
    while (!distills.isEmpty()) {
      absorbDistill(distills.removeFirst().get(), algorithm);
    }
    if (merge != null) {
      absorbMerge(merge.get());
      merge = null;
    }
    if (extractorUpdate != null) {
      absorbExtractorUpdate(extractorUpdate.get());
      extractorUpdate = null;
    }
  }

  /** Metrics of the work absorbed since the last call (bank operations, extractor losses). */
  Map<String, Double> takeMetrics() {
    Map<String, Double> metrics = new TreeMap<>(sinceLastReport);
    sinceLastReport.clear();
    if (bankSize >= 0) {
      metrics.put("bank_size", (double) bankSize);
    }
    metrics.put("extractor_step", (double) extractorStep);
    metrics.put("extractor_buffer", (double) pendingSamples);
    return metrics;
  }

  CheckpointRef extractor() {
    return extractor;
  }

  long extractorStep() {
    return extractorStep;
  }

  List<String> pendingSampleKeys() {
    return List.copyOf(pendingSampleKeys);
  }

  int pendingSamples() {
    return pendingSamples;
  }

  /** Outstanding distillations, for the status query and tests. */
  int outstandingDistills() {
    return distills.size();
  }

  /** Latest bank size reported by the experience activities, or -1 before any report. */
  int bankSize() {
    return bankSize;
  }

  void observeBankSize(int size) {
    bankSize = size;
  }

  private void maybeStartExtractorUpdate(String runId, AlgorithmSpec algorithm) {
    if (!algorithm.extractorLearns() || extractorUpdate != null
        || pendingSamples < algorithm.extractorBuffer() || pendingSampleKeys.isEmpty()) {
      return;
    }
    ExtractorUpdateRequest request =
        new ExtractorUpdateRequest(runId, extractorStep + 1, extractor, pendingSampleKeys);
    pendingSampleKeys = new ArrayList<>();
    pendingSamples = 0;
    extractorUpdate = Async.function(training::updateExtractor, request);
  }

  private void absorbDistill(DistillResult result, AlgorithmSpec algorithm) {
    bankSize = result.bankSize();
    result.stats().forEach((key, value) -> sinceLastReport.merge("bank_" + key, value, Double::sum));
    // A frozen extractor never trains, so its samples would only grow the state record.
    if (algorithm.extractorLearns() && result.samplesKey() != null && result.samples() > 0) {
      pendingSampleKeys.add(result.samplesKey());
      pendingSamples += result.samples();
    }
  }

  private void absorbMerge(DistillResult result) {
    bankSize = result.bankSize();
    result.stats().forEach((key, value) -> sinceLastReport.merge("merge_" + key, value, Double::sum));
    sinceLastReport.merge("merges", 1.0, Double::sum);
  }

  private void absorbExtractorUpdate(TrainResult result) {
    extractor = result.checkpoint();
    extractorStep++;
    result.stats().forEach((key, value) -> sinceLastReport.put("extractor_" + key, value));
  }
}
