package dev.crl.workflows;

import dev.crl.api.activity.TrainingActivities;
import dev.crl.api.payload.ActorUpdateRequest;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.payload.ExtractorUpdateRequest;
import dev.crl.api.payload.RunStart;
import dev.crl.api.payload.TrainResult;
import dev.crl.api.spec.RunSpec;
import java.util.Map;

/** Writes no weights: every update returns a checkpoint one step further, keyed by its input. */
final class FakeTrainingActivities implements TrainingActivities {
  private final CallLog log;
  /** Thrown by updateActor when set (to test failure classification). */
  volatile RuntimeException actorFailure;

  FakeTrainingActivities(CallLog log) {
    this.log = log;
  }

  @Override
  public RunStart initializeRun(String runId, RunSpec spec) {
    RunStart start = new RunStart(
        new CheckpointRef("actor", runId + "/actor/init", 0, "sha-actor-init"),
        new CheckpointRef("extractor", runId + "/extractor/init", 0, "sha-extractor-init"));
    log.record("initializeRun", start, runId, spec);
    return start;
  }

  @Override
  public TrainResult updateActor(ActorUpdateRequest request) {
    if (actorFailure != null) {
      log.record("updateActor_failed", null, request);
      throw actorFailure;
    }
    long step = request.actor().step() + 1;
    TrainResult result = new TrainResult(new CheckpointRef("actor",
        request.runId() + "/actor/" + request.iteration(), step, "sha-actor-" + step),
        Map.of("loss", 1.0 / step, "grad_norm", 0.5));
    log.record("updateActor", result, request);
    return result;
  }

  @Override
  public TrainResult updateExtractor(ExtractorUpdateRequest request) {
    TrainResult result = new TrainResult(new CheckpointRef("extractor",
        request.runId() + "/extractor/" + request.extractorStep(), request.extractorStep(),
        "sha-extractor-" + request.extractorStep()), Map.of("loss", 0.25));
    log.record("updateExtractor", result, request);
    return result;
  }
}
