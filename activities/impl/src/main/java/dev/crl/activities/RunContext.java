package dev.crl.activities;

import dev.crl.activities.experience.RunExperience;
import dev.crl.activities.training.CheckpointStore;
import dev.crl.activities.training.InferenceModels;
import dev.crl.activities.training.TrainerSlot;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.spec.RunSpec;
import dev.crl.stores.ObjectKeys;
import java.nio.file.Path;

/**
 * One run as seen by one worker: its spec, its checkpoints, the models this worker holds for it,
 * and (on experience workers) its bank. Created on the first activity of the run that reaches
 * the worker, so a restarted worker rebuilds it from the object store.
 */
public final class RunContext implements AutoCloseable {
  public static final String ACTOR = "actor";
  public static final String EXTRACTOR = "extractor";

  private final String runId;
  private final RunSpec spec;
  private final WorkerResources resources;
  private final CheckpointStore checkpoints;
  private final InferenceModels inference;
  private final TrainerSlot actorTrainer;
  private final TrainerSlot extractorTrainer;
  private RunExperience experience;

  RunContext(String runId, RunSpec spec, WorkerResources resources) {
    this.runId = runId;
    this.spec = spec;
    this.resources = resources;
    this.checkpoints = new CheckpointStore(resources.objectStore(), resources.scratch().resolve("checkpoints"));
    this.inference = new InferenceModels(checkpoints);
    this.actorTrainer = new TrainerSlot(checkpoints);
    this.extractorTrainer = new TrainerSlot(checkpoints);
  }

  public String runId() {
    return runId;
  }

  public RunSpec spec() {
    return spec;
  }

  public ObjectKeys.RunKeys keys() {
    return ObjectKeys.run(runId);
  }

  public WorkerResources resources() {
    return resources;
  }

  public CheckpointStore checkpoints() {
    return checkpoints;
  }

  public InferenceModels inference() {
    return inference;
  }

  public TrainerSlot trainer(String model) {
    return ACTOR.equals(model) ? actorTrainer : extractorTrainer;
  }

  /**
   * The run's bank, created empty with the extractor at {@code extractor} on first use. A worker
   * that restarts gets an empty bank here; the workflow restores it from the latest snapshot.
   */
  public synchronized RunExperience experience(CheckpointRef extractor) {
    if (experience == null) {
      experience = new RunExperience(spec, inference, extractor, projectHome(),
          dimension -> RunExperience.openStore(resources.backends().vectorStore(), runId, dimension));
    }
    return experience;
  }

  private static Path projectHome() {
    String home = System.getProperty("crl.home");
    return home == null ? null : Path.of(home);
  }

  @Override
  public synchronized void close() {
    if (experience != null) {
      experience.close();
    }
    actorTrainer.close();
    extractorTrainer.close();
    inference.close();
  }
}
