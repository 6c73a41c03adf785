package dev.crl.activities;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.crl.activities.training.CheckpointStore;
import dev.crl.api.payload.BankSnapshotRef;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.payload.EvalResult;
import dev.crl.api.payload.RunState;
import dev.crl.api.spec.RunSpec;
import dev.crl.stores.ObjectKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rebuilds the state of a run whose workflow is gone from what the object store holds: the
 * newest complete actor and extractor checkpoints (their versions say how far the run got), the
 * newest bank snapshot and the stored evaluations. Extractor samples that were still waiting in
 * the workflow's buffer are not recoverable and are dropped; the next ones refill it.
 */
public final class ResumeState {
  private ResumeState() {}

  public static RunState rebuild(WorkerResources resources, String runId, RunSpec spec) {
    CheckpointStore checkpoints = new CheckpointStore(resources.objectStore(), resources.scratch().resolve("checkpoints"));
    Optional<CheckpointRef> actor = checkpoints.latest(runId, RunContext.ACTOR);
    if (actor.isEmpty()) {
      return RunState.fresh(runId, spec);
    }
    Optional<CheckpointRef> extractor = checkpoints.latest(runId, RunContext.EXTRACTOR);
    ObjectKeys.RunKeys keys = ObjectKeys.run(runId);
    // A run that never snapshotted its bank resumes with an empty one.
    BankSnapshotRef bank = StoredJson.find(resources.objectStore(),
        dev.crl.activities.experience.ExperienceActivitiesImpl.latestBankKey(runId),
        new TypeReference<BankSnapshotRef>() {}).orElse(null);
    List<EvalResult> evals = new ArrayList<>();
    for (String key : resources.objectStore().list(keys.prefix() + "eval/iter-")) {
      if (key.endsWith("/summary.json")) {
        evals.add(StoredJson.get(resources.objectStore(), key, EvalResult.class));
      }
    }
    int next = (int) actor.get().step();
    long extractorStep = extractor.map(CheckpointRef::step).orElse(0L);
    return new RunState(runId, spec, next, actor.get(), extractor.orElse(null), bank, extractorStep,
        List.of(), 0, evals, false, 0L);
  }
}
