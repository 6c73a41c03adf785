package dev.crl.api.activity;

import dev.crl.api.payload.RolloutRequest;
import dev.crl.api.payload.RolloutResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Plays episodes with the actor in text environments. Runs on the rollout (CPU) queue. */
@ActivityInterface
public interface RolloutActivities {

  /**
   * Plays one shard of an iteration and writes its trajectories to the object store under a key
   * derived from (run, iteration, shard), so a retry overwrites rather than duplicates.
   */
  @ActivityMethod
  RolloutResult rollout(RolloutRequest request);
}
