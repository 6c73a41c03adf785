package dev.crl.experience;

import dev.crl.experience.extractor.RejectionReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters of what the manager did, reported as metrics by the caller. */
final class OperationCounters {

  final LongAdder distillationRequests = new LongAdder();
  final LongAdder responsesAccepted = new LongAdder();
  final LongAdder responsesRejected = new LongAdder();
  final LongAdder adds = new LongAdder();
  final LongAdder updates = new LongAdder();
  final LongAdder returns = new LongAdder();
  final LongAdder evictions = new LongAdder();
  final LongAdder mergeWindows = new LongAdder();
  final LongAdder mergeWindowsRejected = new LongAdder();
  final LongAdder mergeKept = new LongAdder();
  final LongAdder mergeDiscarded = new LongAdder();
  final LongAdder mergeRewritten = new LongAdder();
  final LongAdder mergeMerged = new LongAdder();
  final LongAdder retrievalQueries = new LongAdder();
  final LongAdder retrievalBatches = new LongAdder();
  final LongAdder retrievalHits = new LongAdder();
  private final Map<RejectionReason, LongAdder> rejections = new EnumMap<>(RejectionReason.class);

  OperationCounters() {
    for (RejectionReason reason : RejectionReason.values()) {
      rejections.put(reason, new LongAdder());
    }
  }

  void rejected(RejectionReason reason) {
    rejections.get(reason).increment();
  }

  /** All counters by name, sorted, as one consistent-enough view for metrics. */
  Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    out.put("distillation.requests", distillationRequests.sum());
    out.put("distillation.accepted", responsesAccepted.sum());
    out.put("distillation.rejected", responsesRejected.sum());
    out.put("operations.add", adds.sum());
    out.put("operations.update", updates.sum());
    out.put("operations.return", returns.sum());
    out.put("bank.evictions", evictions.sum());
    out.put("merge.windows", mergeWindows.sum());
    out.put("merge.windows_rejected", mergeWindowsRejected.sum());
    out.put("merge.kept", mergeKept.sum());
    out.put("merge.discarded", mergeDiscarded.sum());
    out.put("merge.rewritten", mergeRewritten.sum());
    out.put("merge.merged", mergeMerged.sum());
    out.put("retrieval.queries", retrievalQueries.sum());
    out.put("retrieval.batches", retrievalBatches.sum());
    out.put("retrieval.hits", retrievalHits.sum());
    for (Map.Entry<RejectionReason, LongAdder> e : rejections.entrySet()) {
      out.put("rejected." + e.getKey().name().toLowerCase(java.util.Locale.ROOT), e.getValue().sum());
    }
    return out;
  }
}
