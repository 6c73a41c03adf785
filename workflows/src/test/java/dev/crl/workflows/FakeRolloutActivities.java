package dev.crl.workflows;

import dev.crl.api.InvalidInputException;
import dev.crl.api.activity.RolloutActivities;
import dev.crl.api.payload.RolloutRequest;
import dev.crl.api.payload.RolloutResult;
import dev.crl.api.payload.TaskInstance;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Plays no episodes: reports the success rate a {@link #successModel} assigns to the request, so
 * tests can tell which checkpoint and which experience a rollout used. By default the rate rises
 * with the actor's step and guided rollouts do 0.1 better.
 */
final class FakeRolloutActivities implements RolloutActivities {
  private final CallLog log;
  volatile ToDoubleFunction<RolloutRequest> successModel =
      request -> Math.min(0.8, 0.1 + 0.05 * request.actor().step());
  /** Runs at the start of every call (for tests that gate or observe rollouts). */
  volatile Consumer<RolloutRequest> onStart = request -> {};
  /** Failures still to throw per "iteration/shard", each a transient RuntimeException. */
  final Map<String, AtomicInteger> transientFailures = new ConcurrentHashMap<>();
  volatile long sleepMillis;
  /** Added to the model's rate for episodes of an environment (per-task columns). */
  final Map<String, Double> envOffsets = new ConcurrentHashMap<>();

  FakeRolloutActivities(CallLog log) {
    this.log = log;
  }

  @Override
  public RolloutResult rollout(RolloutRequest request) {
    onStart.accept(request);
    if (request.actor() == null) {
      throw new InvalidInputException("rollout without an actor checkpoint");
    }
    String slot = request.plan().iteration() + "/" + request.shard();
    AtomicInteger failures = transientFailures.get(slot);
    if (!request.evaluation() && failures != null && failures.getAndDecrement() > 0) {
      log.record("rollout_failed", null, request);
      throw new IllegalStateException("transient: rollout worker lost its connection");
    }
    sleepQuietly(sleepMillis);
    List<TaskInstance> mine = new java.util.ArrayList<>();
    for (int i = request.shard(); i < request.plan().tasks().size(); i += request.shards()) {
      mine.add(request.plan().tasks().get(i));
    }
    double base = successModel.applyAsDouble(request);
    Map<String, double[]> perEnv = new TreeMap<>();
    double freeSum = 0;
    for (TaskInstance task : mine) {
      double rate = Math.max(0.0, Math.min(0.9, base + envOffsets.getOrDefault(task.env(), 0.0)));
      freeSum += rate;
      double[] acc = perEnv.computeIfAbsent(task.env(), env -> new double[2]);
      acc[0] += rate;
      acc[1]++;
    }
    double free = mine.isEmpty() ? base : freeSum / mine.size();
    boolean guided = request.plan().guidedPerGroup() > 0;
    Map<String, Double> stats = new TreeMap<>();
    stats.put("success_free", free);
    stats.put("reward_mean", free);
    stats.put("episode_length", 10.0);
    if (guided) {
      stats.put("success_guided", Math.min(1.0, free + 0.1));
    }
    perEnv.forEach((env, acc) -> {
      stats.put("success_free/" + env, acc[0] / acc[1]);
      if (guided) {
        stats.put("success_guided/" + env, Math.min(1.0, acc[0] / acc[1] + 0.1));
      }
    });
    String key = request.plan().runId() + (request.evaluation() ? "/eval/" : "/rollouts/")
        + request.plan().iteration() + "/shard-" + request.shard() + ".jsonl.gz";
    RolloutResult result = new RolloutResult(key, mine.size() * request.plan().groupSize(), stats);
    log.record("rollout", result, request);
    return result;
  }

  static void sleepQuietly(long millis) {
    if (millis <= 0) {
      return;
    }
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
