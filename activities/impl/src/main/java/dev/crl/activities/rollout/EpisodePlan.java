package dev.crl.activities.rollout;

import dev.crl.api.payload.IterationPlan;
import dev.crl.api.payload.TaskInstance;
import java.util.ArrayList;
import java.util.List;

/**
 * Expands an iteration plan into episodes with stable ids. Retrieval and rollout activities both
 * use it, so an experience assigned to an episode id reaches exactly that episode. In each group
 * the last {@code guidedPerGroup} members are the experience-guided ones.
 */
public final class EpisodePlan {
  private EpisodePlan() {}

  /** One episode slot of a plan. */
  public record Slot(String episodeId, TaskInstance task, int group, int member, boolean guided) {}

  /** Every episode of the plan. */
  public static List<Slot> all(IterationPlan plan, boolean evaluation) {
    return slice(plan, evaluation, 0, 1);
  }

  /** The episodes of one shard: a contiguous slice of the plan's task instances. */
  public static List<Slot> slice(IterationPlan plan, boolean evaluation, int shard, int shards) {
    if (shards < 1 || shard < 0 || shard >= shards) {
      throw new IllegalArgumentException("shard " + shard + " of " + shards + " does not exist");
    }
    int n = plan.tasks().size();
    int from = (int) ((long) shard * n / shards);
    int to = (int) ((long) (shard + 1) * n / shards);
    List<Slot> slots = new ArrayList<>();
    String prefix = (evaluation ? "e" : "i") + plan.iteration();
    for (int t = from; t < to; t++) {
      for (int k = 0; k < plan.groupSize(); k++) {
        boolean guided = k >= plan.groupSize() - plan.guidedPerGroup();
        slots.add(new Slot(prefix + "-t" + t + "-k" + k, plan.tasks().get(t), t, k, guided));
      }
    }
    return slots;
  }
}
