package dev.crl.learning.rl;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pure advantage computations from the paper (§3 and §4). */
public final class Advantages {
  /** Added to a standard deviation before dividing so that identical rewards give zero, not NaN. */
  public static final double STD_EPS = 1e-6;

  private Advantages() {}

  /**
   * GRPO with split subgroups: each reward is centred (and optionally scaled by the standard
   * deviation) within its own subgroup, e.g. one task instance's experience-free rollouts form one
   * subgroup and its experience-guided rollouts another.
   *
   * @param rewards one reward per rollout
   * @param subgroupIds one id per rollout; rollouts with equal ids are normalised together
   * @param normalizeStd divide by the subgroup's population standard deviation (+1e-6) when true
   */
  public static double[] grpoSplit(double[] rewards, List<String> subgroupIds, boolean normalizeStd) {
    if (rewards.length != subgroupIds.size()) {
      throw new IllegalArgumentException(rewards.length + " rewards but " + subgroupIds.size() + " subgroup ids");
    }
    Map<String, double[]> stats = new HashMap<>();
    for (int i = 0; i < rewards.length; i++) {
      if (Double.isNaN(rewards[i])) {
        throw new IllegalArgumentException("reward " + i + " is NaN");
      }
      double[] s = stats.computeIfAbsent(subgroupIds.get(i), k -> new double[3]);
      s[0] += 1;
      s[1] += rewards[i];
      s[2] += rewards[i] * rewards[i];
    }
    double[] out = new double[rewards.length];
    for (int i = 0; i < rewards.length; i++) {
      double[] s = stats.get(subgroupIds.get(i));
      double mean = s[1] / s[0];
      double centred = rewards[i] - mean;
      if (normalizeStd) {
        double var = Math.max(0, s[2] / s[0] - mean * mean);
        centred /= Math.sqrt(var) + STD_EPS;
      }
      out[i] = centred;
    }
    return out;
  }

  /** CISPO's batch-level baseline: each reward minus the batch mean. */
  public static double[] batchMean(double[] rewards) {
    if (rewards.length == 0) {
      return new double[0];
    }
    double mean = 0;
    for (double r : rewards) {
      mean += r;
    }
    mean /= rewards.length;
    double[] out = new double[rewards.length];
    for (int i = 0; i < rewards.length; i++) {
      out[i] = rewards[i] - mean;
    }
    return out;
  }
}
