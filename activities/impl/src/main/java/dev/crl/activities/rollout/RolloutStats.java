package dev.crl.activities.rollout;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Summary statistics of a set of episodes, as the workflow aggregates and logs them: success
 * overall, of free and of guided episodes, per environment, plus reward, length and the rate of
 * rejected actions.
 */
public final class RolloutStats {
  private RolloutStats() {}

  public static Map<String, Double> of(List<Trajectory> episodes) {
    Map<String, Double> s = new TreeMap<>();
    if (episodes.isEmpty()) {
      return s;
    }
    rate(s, "success", episodes, t -> true);
    rate(s, "success_free", episodes, t -> !t.guided());
    rate(s, "success_guided", episodes, Trajectory::guided);
    for (String env : episodes.stream().map(Trajectory::env).distinct().sorted().toList()) {
      rate(s, "success/" + env, episodes, t -> t.env().equals(env));
      rate(s, "success_free/" + env, episodes, t -> t.env().equals(env) && !t.guided());
      rate(s, "success_guided/" + env, episodes, t -> t.env().equals(env) && t.guided());
    }
    s.put("reward_mean", episodes.stream().mapToDouble(Trajectory::reward).average().orElse(0));
    s.put("env_return_mean", episodes.stream().mapToDouble(Trajectory::envReturn).average().orElse(0));
    s.put("episode_length", episodes.stream().mapToDouble(t -> t.turns().size()).average().orElse(0));
    long turns = episodes.stream().mapToLong(t -> t.turns().size()).sum();
    long invalid = episodes.stream().mapToLong(Trajectory::invalidActions).sum();
    s.put("invalid_action_rate", turns == 0 ? 0 : (double) invalid / turns);
    s.put("guided_fraction", episodes.stream().filter(Trajectory::guided).count() / (double) episodes.size());
    return s;
  }

  private static void rate(Map<String, Double> s, String key, List<Trajectory> episodes, Predicate<Trajectory> which) {
    List<Trajectory> chosen = episodes.stream().filter(which).toList();
    if (!chosen.isEmpty()) {
      s.put(key, chosen.stream().filter(Trajectory::success).count() / (double) chosen.size());
    }
  }
}
