package dev.crl.api.activity;

import dev.crl.api.payload.BankSnapshotRef;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.payload.DistillRequest;
import dev.crl.api.payload.DistillResult;
import dev.crl.api.payload.IterationPlan;
import dev.crl.api.payload.RetrievalResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Owns the experience bank of each run. Runs on the experience queue. */
@ActivityInterface
public interface ExperienceActivities {

  /** Retrieves one experience for every guided rollout of the plan. */
  @ActivityMethod
  RetrievalResult retrieve(IterationPlan plan, boolean evaluation);

  /** Turns finished episodes into add / update / return operations on the bank. */
  @ActivityMethod
  DistillResult distill(DistillRequest request);

  /** Runs the periodic sliding-window merge of the bank with the extractor. */
  @ActivityMethod
  DistillResult mergeBank(String runId, int iteration, CheckpointRef extractor);

  /** Writes the bank to the object store under a key derived from (run, iteration). */
  @ActivityMethod
  BankSnapshotRef snapshotBank(String runId, int iteration);

  /** Replaces the run's in-memory bank by a snapshot (after a crash or for a new stage). */
  @ActivityMethod
  void restoreBank(String runId, BankSnapshotRef snapshot);
}
