package dev.crl.workflows;

import dev.crl.api.payload.RolloutResult;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aggregates the summary statistics of rollout shards into one set for the iteration. Every
 * statistic is a per-episode mean, so shards are weighted by their episodes; a statistic only
 * some shards report (a per-environment rate) is averaged over those shards.
 */
final class ShardStats {
  private ShardStats() {}

  /** Episode-weighted means of every statistic, in key order, plus {@code episodes}. */
  static Map<String, Double> aggregate(List<RolloutResult> shards) {
    Map<String, double[]> sums = new TreeMap<>();
    int episodes = 0;
    for (RolloutResult shard : shards) {
      episodes += shard.episodes();
      for (Map.Entry<String, Double> stat : shard.stats().entrySet()) {
        if (stat.getValue() == null || !Double.isFinite(stat.getValue()) || shard.episodes() == 0) {
          continue;
        }
        double[] acc = sums.computeIfAbsent(stat.getKey(), k -> new double[2]);
        acc[0] += stat.getValue() * shard.episodes();
        acc[1] += shard.episodes();
      }
    }
    Map<String, Double> means = new TreeMap<>();
    sums.forEach((key, acc) -> means.put(key, acc[0] / acc[1]));
    means.put("episodes", (double) episodes);
    return means;
  }

  /** Object-store keys of the shards' trajectories, in shard order. */
  static List<String> trajectoryKeys(List<RolloutResult> shards) {
    return shards.stream().map(RolloutResult::trajectoriesKey).toList();
  }
}
