package dev.crl.api.payload;

import java.util.Map;

/**
 * Summary of one rollout shard; the trajectories themselves are in the object store.
 *
 * @param trajectoriesKey object-store key of the shard's trajectories (gzip JSON lines)
 * @param episodes episodes in the shard
 * @param stats summary statistics (success_free, success_guided, reward_mean, episode_length,
 *     invalid_action_rate, tokens_per_second, success/&lt;env&gt; ...)
 */
public record RolloutResult(String trajectoriesKey, int episodes, Map<String, Double> stats) {
  public RolloutResult {
    stats = Map.copyOf(stats);
  }
}
