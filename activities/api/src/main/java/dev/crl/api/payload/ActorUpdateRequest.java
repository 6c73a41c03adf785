package dev.crl.api.payload;

import java.util.List;

/**
 * One GRPO update of the actor on an iteration's rollouts.
 *
 * @param runId run identifier
 * @param iteration iteration whose rollouts are trained on
 * @param actor checkpoint the rollouts were sampled from
 * @param trajectoriesKeys object-store keys of the trajectory shards
 */
public record ActorUpdateRequest(
    String runId, int iteration, CheckpointRef actor, List<String> trajectoriesKeys) {
  public ActorUpdateRequest {
    trajectoriesKeys = List.copyOf(trajectoriesKeys);
  }
}
