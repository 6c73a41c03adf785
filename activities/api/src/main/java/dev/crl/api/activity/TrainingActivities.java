package dev.crl.api.activity;

import dev.crl.api.payload.ActorUpdateRequest;
import dev.crl.api.payload.ExtractorUpdateRequest;
import dev.crl.api.payload.RunStart;
import dev.crl.api.payload.TrainResult;
import dev.crl.api.spec.RunSpec;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Model training. Runs on the training (GPU-capable) queue; long methods heartbeat. */
@ActivityInterface
public interface TrainingActivities {

  /**
   * Stores the resolved spec and writes the initial actor and extractor checkpoints, including
   * the extractor's supervised warm start. Idempotent: existing checkpoints are reused.
   */
  @ActivityMethod
  RunStart initializeRun(String runId, RunSpec spec);

  /** One GRPO update of the actor with split free / guided subgroups. */
  @ActivityMethod
  TrainResult updateActor(ActorUpdateRequest request);

  /** One CISPO update of the extractor on its buffered samples. */
  @ActivityMethod
  TrainResult updateExtractor(ExtractorUpdateRequest request);
}
