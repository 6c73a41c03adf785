package dev.crl.api.payload;

import java.util.List;

/**
 * What one iteration rolls out: the task instances (each expanded into a group of K rollouts) and
 * how the group is split between experience-free and experience-guided rollouts.
 *
 * @param runId run identifier
 * @param iteration iteration number, from 0
 * @param tasks task instances of this iteration
 * @param groupSize K rollouts per instance
 * @param guidedPerGroup rollouts per group that receive a retrieved experience
 */
public record IterationPlan(
    String runId, int iteration, List<TaskInstance> tasks, int groupSize, int guidedPerGroup) {
  public IterationPlan {
    tasks = List.copyOf(tasks);
  }
}
