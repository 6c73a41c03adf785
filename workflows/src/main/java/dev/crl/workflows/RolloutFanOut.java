package dev.crl.workflows;

import dev.crl.api.activity.RolloutActivities;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.payload.IterationPlan;
import dev.crl.api.payload.RolloutRequest;
import dev.crl.api.payload.RolloutResult;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import java.util.ArrayList;
import java.util.List;

/** Splits a plan into shards, rolls them out in parallel and waits for all of them. */
public final class RolloutFanOut {
  /** Task instances per shard before another shard is added. */
  static final int TASKS_PER_SHARD = 4;
  /** Upper bound on shards, which keeps an iteration's history small. */
  static final int MAX_SHARDS = 8;

  private RolloutFanOut() {}

  /** Shards for a plan: one per {@value #TASKS_PER_SHARD} tasks, at least one, at most the cap. */
  public static int shardCount(int tasks) {
    int shards = (tasks + TASKS_PER_SHARD - 1) / TASKS_PER_SHARD;
    return Math.max(1, Math.min(MAX_SHARDS, shards));
  }

  /** Rolls out every shard of {@code plan} in parallel and returns the results in shard order. */
  static List<RolloutResult> rollOut(RolloutActivities rollouts, IterationPlan plan,
      CheckpointRef actor, String assignmentsKey, boolean evaluation) {
    int shards = shardCount(plan.tasks().size());
    List<Promise<RolloutResult>> pending = new ArrayList<>(shards);
    for (int shard = 0; shard < shards; shard++) {
      RolloutRequest request =
          new RolloutRequest(plan, shard, shards, actor, assignmentsKey, evaluation);
      pending.add(Async.function(rollouts::rollout, request));
    }
    List<RolloutResult> results = new ArrayList<>(shards);
    for (Promise<RolloutResult> promise : pending) {
      results.add(promise.get());
    }
    return results;
  }
}
