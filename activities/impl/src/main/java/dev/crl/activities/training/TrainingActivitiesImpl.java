package dev.crl.activities.training;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.crl.activities.Heartbeats;
import dev.crl.activities.RunContext;
import dev.crl.activities.StoredJson;
import dev.crl.activities.WorkTimer;
import dev.crl.activities.WorkerResources;
import dev.crl.activities.experience.ExtractorTrainingSample;
import dev.crl.activities.rollout.Trajectory;
import dev.crl.activities.rollout.TrajectoryCodec;
import dev.crl.api.InvalidInputException;
import dev.crl.api.activity.TrainingActivities;
import dev.crl.api.payload.ActorUpdateRequest;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.payload.ExtractorUpdateRequest;
import dev.crl.api.payload.RunStart;
import dev.crl.api.payload.TrainResult;
import dev.crl.api.spec.RunSpec;
import dev.crl.learning.rl.RlTrainer;
import dev.crl.learning.rl.TrainStepResult;
import dev.crl.stores.ObjectNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import dev.crl.learning.rl.OptimizerConfig;

/**
 * Training activities: the run's initial models, the actor's GRPO updates and the extractor's
 * CISPO updates. Each update writes the next checkpoint version under a key derived from the run
 * and the version, together with its statistics; a retry that finds that checkpoint returns it
 * instead of training twice. A retry that finds nothing starts again from the checkpoint named
 * in its input, which is exactly where the interrupted attempt started.
 */
public final class TrainingActivitiesImpl implements TrainingActivities {
  private final WorkerResources resources;

  public TrainingActivitiesImpl(WorkerResources resources) {
    this.resources = resources;
  }

  @Override
  public RunStart initializeRun(String runId, RunSpec spec) {
    resources.storeSpec(runId, spec);
    RunContext run = resources.run(runId, spec);
    return new ModelInitializer(run).initialize();
  }

  @Override
  public TrainResult updateActor(ActorUpdateRequest request) {
    RunContext run = resources.run(request.runId());
    long version = request.iteration() + 1L;
    var done = finished(run, RunContext.ACTOR, version);
    if (done != null) {
      return done;
    }
    List<Trajectory> episodes = new ArrayList<>();
    for (String key : request.trajectoriesKeys()) {
      try {
        episodes.addAll(TrajectoryCodec.decode(resources.objectStore().get(key), key));
      } catch (ObjectNotFoundException e) {
        throw new InvalidInputException("rollout shard " + key + " does not exist");
      }
    }
    ActorUpdate update = new ActorUpdate(run.spec().algorithm());
    return train(run, RunContext.ACTOR, version, request.actor(), Optimizers.actor(run.spec()),
        trainer -> update.apply(trainer, episodes, step -> Heartbeats.beat(step)));
  }

  @Override
  public TrainResult updateExtractor(ExtractorUpdateRequest request) {
    RunContext run = resources.run(request.runId());
    long version = request.extractorStep() + 1L;
    var done = finished(run, RunContext.EXTRACTOR, version);
    if (done != null) {
      return done;
    }
    List<ExtractorTrainingSample> samples = new ArrayList<>();
    for (String key : request.samplesKeys()) {
      samples.addAll(StoredJson.get(resources.objectStore(), key, new TypeReference<List<ExtractorTrainingSample>>() {}));
    }
    List<String> entries = samples.stream().flatMap(s -> s.entryIds().stream()).distinct().toList();
    StoredJson.put(resources.objectStore(), trainedEntriesKey(run, version), entries);
    ExtractorUpdate update = new ExtractorUpdate(run.spec().algorithm());
    return train(run, RunContext.EXTRACTOR, version, request.extractor(), Optimizers.extractor(run.spec()),
        trainer -> update.apply(trainer, samples));
  }

  /**
   * One update of {@code model} from checkpoint {@code from} to {@code version}: the live trainer
   * (or one loaded from the checkpoint) takes the step, the result is saved and its statistics
   * recorded. A failure forgets the live trainer, whose weights may be half-updated.
   */
  private TrainResult train(RunContext run, String model, long version, CheckpointRef from,
      OptimizerConfig optimizer, Function<RlTrainer, Map<String, Double>> step) {
    TrainerSlot slot = run.trainer(model);
    try {
      WorkTimer training = WorkTimer.start();
      RlTrainer trainer = slot.at(from, optimizer);
      Map<String, Double> stats = new LinkedHashMap<>(step.apply(trainer));
      training.record("train", stats);
      WorkTimer saving = WorkTimer.start();
      CheckpointRef ref = run.checkpoints().save(run.runId(), model, version, trainer.model(), trainer);
      saving.record("save", stats);
      slot.advancedTo(ref);
      return record(run, ref, stats);
    } catch (RuntimeException e) {
      slot.invalidate();
      throw e;
    }
  }

  /** Key of the entries whose samples the extractor trained on to reach {@code version}. */
  public static String trainedEntriesKey(RunContext run, long version) {
    return run.keys().checkpointPrefix(RunContext.EXTRACTOR, version) + "trained-entries.json";
  }

  private TrainResult finished(RunContext run, String model, long version) {
    return run.checkpoints().existing(run.runId(), model, version)
        .map(ref -> new TrainResult(ref, StoredJson.find(resources.objectStore(), statsKey(run, model, version),
            new TypeReference<LinkedHashMap<String, Double>>() {}).orElse(new LinkedHashMap<>())))
        .orElse(null);
  }

  private TrainResult record(RunContext run, CheckpointRef ref, Map<String, Double> stats) {
    StoredJson.put(resources.objectStore(), statsKey(run, ref.model(), ref.step()), stats);
    return new TrainResult(ref, stats);
  }

  private static String statsKey(RunContext run, String model, long version) {
    return run.keys().checkpointPrefix(model, version) + "train-stats.json";
  }

  /** One optimizer step's statistics; the workflow prefixes them with the model's name. */
  static Map<String, Double> stepStats(TrainStepResult r) {
    Map<String, Double> s = new LinkedHashMap<>();
    s.put("loss", r.loss());
    s.put("grad_norm", r.gradNorm());
    s.put("clip_fraction", r.clipFraction());
    s.put("entropy", r.entropy());
    s.put("approx_kl", r.approxKl());
    s.put("tokens_per_second", r.tokensPerSecond());
    s.put("learning_rate", r.learningRate());
    return s;
  }
}
