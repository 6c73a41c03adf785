package dev.crl.workflows;

import dev.crl.api.activity.ExperienceActivities;
import dev.crl.api.payload.BankSnapshotRef;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.payload.DistillRequest;
import dev.crl.api.payload.DistillResult;
import dev.crl.api.payload.IterationPlan;
import dev.crl.api.payload.RetrievalResult;
import java.util.Map;
import java.util.function.Consumer;

/** A bank that is only a counter: each distillation adds entries and yields extractor samples. */
final class FakeExperienceActivities implements ExperienceActivities {
  private final CallLog log;
  private int bankSize;
  private long version;
  volatile int samplesPerDistill = 16;
  volatile int entriesPerDistill = 3;
  /** Runs at the start of every distillation (for tests that hold one back). */
  volatile Consumer<DistillRequest> onDistill = request -> {};

  FakeExperienceActivities(CallLog log) {
    this.log = log;
  }

  @Override
  public RetrievalResult retrieve(IterationPlan plan, boolean evaluation) {
    int guided = plan.tasks().size() * plan.guidedPerGroup();
    RetrievalResult result = new RetrievalResult(plan.runId() + (evaluation ? "/eval-assign/" : "/assign/")
        + plan.iteration() + ".json", guided, currentSize(), 1.5, 4.0);
    log.record("retrieve", result, plan, evaluation);
    return result;
  }

  @Override
  public DistillResult distill(DistillRequest request) {
    onDistill.accept(request);
    DistillResult result;
    synchronized (this) {
      bankSize += entriesPerDistill;
      version++;
      result = new DistillResult(request.runId() + "/samples/" + request.iteration() + ".jsonl.gz",
          samplesPerDistill, bankSize, version, Map.of("added", (double) entriesPerDistill, "updated", 1.0));
    }
    log.record("distill", result, request);
    return result;
  }

  @Override
  public DistillResult mergeBank(String runId, int iteration, CheckpointRef extractor) {
    DistillResult result;
    synchronized (this) {
      bankSize = Math.max(0, bankSize - 1);
      version++;
      result = new DistillResult(null, 0, bankSize, version, Map.of("merged", 1.0));
    }
    log.record("mergeBank", result, runId, iteration, extractor);
    return result;
  }

  @Override
  public BankSnapshotRef snapshotBank(String runId, int iteration) {
    BankSnapshotRef ref;
    synchronized (this) {
      ref = new BankSnapshotRef(runId + "/bank/" + iteration + ".json.gz", bankSize, version);
    }
    log.record("snapshotBank", ref, runId, iteration);
    return ref;
  }

  @Override
  public void restoreBank(String runId, BankSnapshotRef snapshot) {
    synchronized (this) {
      bankSize = snapshot.entries();
      version = snapshot.version();
    }
    log.record("restoreBank", null, runId, snapshot);
  }

  private synchronized int currentSize() {
    return bankSize;
  }
}
