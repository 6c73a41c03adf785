package dev.crl.api.payload;

import java.util.List;

/**
 * How a training run ended.
 *
 * @param runId run identifier
 * @param status {@code completed}, {@code stopped} or {@code failed}
 * @param iterations iterations completed
 * @param actor final actor checkpoint
 * @param extractor final extractor checkpoint
 * @param bank final bank snapshot
 * @param evalHistory every evaluation of the run
 */
public record RunSummary(
    String runId,
    String status,
    int iterations,
    CheckpointRef actor,
    CheckpointRef extractor,
    BankSnapshotRef bank,
    List<EvalResult> evalHistory) {
  public RunSummary {
    evalHistory = evalHistory == null ? List.of() : List.copyOf(evalHistory);
  }
}
