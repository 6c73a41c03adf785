package dev.crl.activities.experience;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Extractor samples waiting for their reward. A sample (the prompt and answer that wrote an
 * entry) is scored by the guided episodes that later use the entry: +1 for a success, -1 for a
 * failure, averaged when several episodes used it (PAPER.md section 4). Scored samples leave the
 * ledger for the extractor's training buffer; a sample whose entry was never used is dropped once
 * the ledger is over its capacity (oldest first), so memory stays bounded.
 */
public final class ExtractorSampleLedger {
  private final int capacity;
  private final LinkedHashMap<String, PendingSample> pending = new LinkedHashMap<>();
  private final Map<String, List<String>> samplesByEntry = new HashMap<>();
  private long nextId;

  /** A sample and the outcomes seen so far. */
  public static final class PendingSample {
    final String id;
    final ExtractorTrainingSample sample;
    double rewardSum;
    int outcomes;

    PendingSample(String id, ExtractorTrainingSample sample) {
      this.id = id;
      this.sample = sample;
    }
  }

  public ExtractorSampleLedger(int capacity) {
    this.capacity = capacity;
  }

  /** Adds a sample that produced {@code sample.entryIds()}. */
  public synchronized void add(ExtractorTrainingSample sample) {
    String id = "s" + nextId++;
    pending.put(id, new PendingSample(id, sample));
    for (String entry : sample.entryIds()) {
      samplesByEntry.computeIfAbsent(entry, k -> new ArrayList<>()).add(id);
    }
    while (pending.size() > capacity) {
      remove(pending.keySet().iterator().next());
    }
  }

  /** Credits every pending sample that produced {@code entryId} with one episode outcome. */
  public synchronized void recordOutcome(String entryId, boolean success) {
    for (String id : samplesByEntry.getOrDefault(entryId, List.of())) {
      PendingSample p = pending.get(id);
      if (p != null) {
        p.rewardSum += success ? 1.0 : -1.0;
        p.outcomes++;
      }
    }
  }

  /** Removes and returns every sample with at least one outcome, its reward the mean outcome. */
  public synchronized List<ExtractorTrainingSample> drainScored() {
    List<ExtractorTrainingSample> out = new ArrayList<>();
    for (PendingSample p : List.copyOf(pending.values())) {
      if (p.outcomes > 0) {
        out.add(p.sample.withReward(p.rewardSum / p.outcomes));
        remove(p.id);
      }
    }
    return out;
  }

  public synchronized int size() {
    return pending.size();
  }

  /** Every pending sample, for snapshots. */
  public synchronized List<ExtractorTrainingSample> pendingSamples() {
    return pending.values().stream().map(p -> p.sample).toList();
  }

  /** Replaces the content by restored samples (their outcomes start again from zero). */
  public synchronized void restore(List<ExtractorTrainingSample> samples) {
    pending.clear();
    samplesByEntry.clear();
    samples.forEach(this::add);
  }

  private void remove(String id) {
    PendingSample p = pending.remove(id);
    if (p != null) {
      for (String entry : p.sample.entryIds()) {
        List<String> ids = samplesByEntry.get(entry);
        if (ids != null) {
          ids.remove(id);
          if (ids.isEmpty()) {
            samplesByEntry.remove(entry);
          }
        }
      }
    }
  }
}
