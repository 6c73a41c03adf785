package dev.crl.activities.experience;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.crl.activities.RunContext;
import dev.crl.activities.StoredJson;
import dev.crl.activities.WorkTimer;
import dev.crl.activities.WorkerResources;
import dev.crl.activities.rollout.Trajectory;
import dev.crl.activities.rollout.TrajectoryCodec;
import dev.crl.activities.training.TrainingActivitiesImpl;
import dev.crl.api.InvalidInputException;
import dev.crl.api.activity.ExperienceActivities;
import dev.crl.api.payload.BankSnapshotRef;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.payload.DistillRequest;
import dev.crl.api.payload.DistillResult;
import dev.crl.api.payload.IterationPlan;
import dev.crl.api.payload.RetrievalResult;
import dev.crl.stores.ObjectNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The experience activities: thin adapters over {@link RunExperience}. Outputs go to keys
 * derived from (run, iteration), so retries overwrite rather than duplicate. Distillation of one
 * iteration is applied to the bank at most once per worker: a retry after the bank changed
 * returns the stored result instead of applying the operations again.
 */
public final class ExperienceActivitiesImpl implements ExperienceActivities {
  private final WorkerResources resources;
  private final Map<String, Long> extractorStepSeen = new ConcurrentHashMap<>();

  public ExperienceActivitiesImpl(WorkerResources resources) {
    this.resources = resources;
  }

  private RunExperience bank(RunContext run, CheckpointRef extractor) {
    // Retrieval, snapshots and restores do not call the extractor; distillation and merges name
    // the checkpoint to use, so a bank can exist before its run has an extractor of its own.
    CheckpointRef ref = extractor != null ? extractor
        : run.checkpoints().latest(run.runId(), RunContext.EXTRACTOR).orElse(null);
    return run.experience(ref);
  }

  @Override
  public RetrievalResult retrieve(IterationPlan plan, boolean evaluation) {
    RunContext run = resources.run(plan.runId());
    RunExperience bank = bank(run, null);
    RunExperience.Retrieved retrieved = bank.retrieve(plan, evaluation);
    Map<String, RunExperience.Assignment> assignments = retrieved.assignments();
    String key = run.keys().iterationPrefix(plan.iteration()) + (evaluation ? "eval-" : "") + "assignments.json";
    put(key, assignments);
    long[] latencies = retrieved.queryLatencyNanos();
    return new RetrievalResult(key, assignments.size(), bank.size(),
        LatencyPercentile.millis(latencies, 0.50), LatencyPercentile.millis(latencies, 0.99));
  }

  @Override
  public DistillResult distill(DistillRequest request) {
    RunContext run = resources.run(request.runId());
    String resultKey = run.keys().iterationPrefix(request.iteration()) + "distill-result.json";
    if (resources.objectStore().exists(resultKey)) {
      return read(resultKey, DistillResult.class);
    }
    WorkTimer timer = WorkTimer.start();
    RunExperience bank = bank(run, request.extractor());
    noteExtractorTraining(run, bank, request.extractor());
    List<Trajectory> episodes = new ArrayList<>();
    for (String key : request.trajectoriesKeys()) {
      try {
        episodes.addAll(TrajectoryCodec.decode(resources.objectStore().get(key), key));
      } catch (ObjectNotFoundException e) {
        throw new InvalidInputException("rollout shard " + key + " does not exist");
      }
    }
    RunExperience.Distilled distilled = bank.distill(episodes, request.extractor());
    String samplesKey = null;
    if (!distilled.scored().isEmpty()) {
      samplesKey = run.keys().iterationPrefix(request.iteration()) + "extractor-samples.json";
      put(samplesKey, distilled.scored());
    }
    Map<String, Double> stats = new TreeMap<>(distilled.stats());
    timer.record("distill", stats);
    DistillResult result = new DistillResult(samplesKey, distilled.scored().size(), bank.size(),
        bank.version(), stats);
    put(resultKey, result);
    return result;
  }

  /** Tells the bank which entries the extractor trained on, once per new extractor version (Eq. 7). */
  private void noteExtractorTraining(RunContext run, RunExperience bank, CheckpointRef extractor) {
    long seen = extractorStepSeen.getOrDefault(run.runId(), 0L);
    if (extractor.step() <= seen) {
      return;
    }
    for (long v = seen + 1; v <= extractor.step(); v++) {
      String key = TrainingActivitiesImpl.trainedEntriesKey(run, v);
      if (resources.objectStore().exists(key)) {
        List<String> entries = read(key, new TypeReference<List<String>>() {});
        bank.recordTraining(entries, v);
      }
    }
    extractorStepSeen.put(run.runId(), extractor.step());
  }

  @Override
  public DistillResult mergeBank(String runId, int iteration, CheckpointRef extractor) {
    RunContext run = resources.run(runId);
    String resultKey = run.keys().iterationPrefix(iteration) + "merge-result.json";
    if (resources.objectStore().exists(resultKey)) {
      return read(resultKey, DistillResult.class);
    }
    RunExperience bank = bank(run, extractor);
    Map<String, Double> stats = bank.merge(extractor);
    DistillResult result = new DistillResult(null, 0, bank.size(), bank.version(), stats);
    put(resultKey, result);
    return result;
  }

  @Override
  public BankSnapshotRef snapshotBank(String runId, int iteration) {
    RunContext run = resources.run(runId);
    RunExperience bank = bank(run, null);
    String key = bankKey(run, iteration, BANK_FILE);
    // Pending samples and merge state first: the snapshot that names them is only written once
    // they are stored.
    resources.objectStore().put(bankKey(run, iteration, PENDING_FILE), bank.snapshotPendingSamples());
    resources.objectStore().put(bankKey(run, iteration, MERGE_FILE), bank.snapshotMergeState());
    resources.objectStore().put(key, bank.snapshotBank());
    BankSnapshotRef ref = new BankSnapshotRef(key, bank.size(), bank.version());
    put(latestBankKey(run.runId()), ref);
    return ref;
  }

  @Override
  public void restoreBank(String runId, BankSnapshotRef snapshot) {
    RunContext run = resources.run(runId);
    byte[] data;
    try {
      data = resources.objectStore().get(snapshot.key());
    } catch (ObjectNotFoundException e) {
      throw new InvalidInputException("bank snapshot " + snapshot.key() + " does not exist");
    }
    String dir = snapshot.key().substring(0, snapshot.key().lastIndexOf('/') + 1);
    bank(run, null).restore(data, optional(dir + PENDING_FILE), optional(dir + MERGE_FILE));
  }

  static final String BANK_FILE = "snapshot.crlbank";
  static final String PENDING_FILE = "pending-samples.json";
  static final String MERGE_FILE = "merge-state.json";

  private byte[] optional(String key) {
    return resources.objectStore().exists(key) ? resources.objectStore().get(key) : null;
  }

  /** {@code runs/<run>/bank/iter-<n>/<file>}: the bank file keeps the experience module's format. */
  static String bankKey(RunContext run, int iteration, String file) {
    return run.keys().prefix() + "bank/iter-" + String.format("%06d", iteration) + "/" + file;
  }

  /** Pointer to the newest bank snapshot of a run. */
  public static String latestBankKey(String runId) {
    return dev.crl.stores.ObjectKeys.run(runId).prefix() + "bank/LATEST.json";
  }

  private void put(String key, Object value) {
    StoredJson.put(resources.objectStore(), key, value);
  }

  private <T> T read(String key, Class<T> type) {
    return StoredJson.get(resources.objectStore(), key, type);
  }

  private <T> T read(String key, TypeReference<T> type) {
    return StoredJson.get(resources.objectStore(), key, type);
  }
}
