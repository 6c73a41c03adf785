package dev.crl.activities.rollout;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.crl.activities.Heartbeats;
import dev.crl.activities.RunContext;
import dev.crl.activities.StoredJson;
import dev.crl.activities.WorkTimer;
import dev.crl.activities.WorkerResources;
import dev.crl.activities.experience.RunExperience;
import dev.crl.activities.training.InferenceModels;
import dev.crl.api.activity.RolloutActivities;
import dev.crl.api.payload.RolloutRequest;
import dev.crl.api.payload.RolloutResult;
import dev.crl.api.spec.AlgorithmSpec;
import dev.crl.api.spec.RunSpec;
import dev.crl.learning.PolicyModel;
import dev.crl.learning.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays one shard of an iteration (or of an evaluation) with the actor at the checkpoint named in
 * the request and stores the trajectories under a key derived from (run, iteration, shard). A
 * retry finds the shard already stored and returns its summary without playing again.
 */
public final class RolloutActivitiesImpl implements RolloutActivities {
  private final WorkerResources resources;

  public RolloutActivitiesImpl(WorkerResources resources) {
    this.resources = resources;
  }

  @Override
  public RolloutResult rollout(RolloutRequest request) {
    RunContext run = resources.run(request.plan().runId());
    RunSpec spec = run.spec();
    String kind = request.evaluation() ? "eval-" + (request.assignmentsKey() == null ? "free" : "guided") : "rollouts";
    String key = run.keys().shardKey(request.plan().iteration(), kind, request.shard(), "jsonl.gz");
    if (resources.objectStore().exists(key)) {
      List<Trajectory> done = TrajectoryCodec.decode(resources.objectStore().get(key), key);
      return new RolloutResult(key, done.size(), RolloutStats.of(done));
    }
    Map<String, RunExperience.Assignment> assignments = assignments(request.assignmentsKey());
    List<EpisodeSpec> episodes = new ArrayList<>();
    for (EpisodePlan.Slot slot : EpisodePlan.slice(request.plan(), request.evaluation(), request.shard(), request.shards())) {
      RunExperience.Assignment a = slot.guided() ? assignments.get(slot.episodeId()) : null;
      episodes.add(new EpisodeSpec(slot.episodeId(), slot.task().env(), slot.task().seed(), slot.group(),
          slot.guided(), a == null ? null : a.entryId(), a == null ? null : a.text()));
    }
    AlgorithmSpec.SamplingSpec s = spec.algorithm().actorSampling();
    SamplingParams sampling = new SamplingParams(spec.budget().maxNewTokens(), s.temperature(), s.topP(),
        s.topK(), List.of("</answer>"), null);
    long seed = samplingSeed(spec.seed(), request.plan().iteration(), request.shard(), request.evaluation());
    WorkTimer timer = WorkTimer.start();
    List<Trajectory> trajectories;
    try (InferenceModels.Lease lease = run.inference().lease(request.actor())) {
      PolicyModel actor = lease.model();
      EpisodeBatchRunner runner = new EpisodeBatchRunner(actor, sampling, spec.budget().maxTurns(),
          "tiny".equals(spec.models().actor().kind()));
      synchronized (actor) {
        trajectories = runner.play(episodes, seed, running -> Heartbeats.beat(running));
      }
    }
    double seconds = timer.wallSeconds();
    double cpuSeconds = timer.cpuSeconds();
    resources.objectStore().put(key, TrajectoryCodec.encode(trajectories));
    Map<String, Double> stats = new HashMap<>(RolloutStats.of(trajectories));
    long generated = trajectories.stream().flatMap(t -> t.turns().stream())
        .mapToLong(t -> t.generatedTokens().length + t.promptTokens().length).sum();
    stats.put("rollout_seconds", seconds);
    // CPU time of the playing thread: below the wall time when other threads took its core.
    stats.put("rollout_cpu_seconds", cpuSeconds);
    stats.put("rollout_tokens_per_second", seconds > 0 ? generated / seconds : 0);
    return new RolloutResult(key, trajectories.size(), stats);
  }

  private Map<String, RunExperience.Assignment> assignments(String key) {
    return key == null ? Map.of()
        : StoredJson.get(resources.objectStore(), key, new TypeReference<Map<String, RunExperience.Assignment>>() {});
  }

  /**
   * The sampling seed of one rollout shard: fixed by the run's seed, the iteration and the shard,
   * so a retried shard plays the same episodes (and tools that replay a run can play them too).
   */
  public static long samplingSeed(long runSeed, int iteration, int shard, boolean evaluation) {
    return runSeed * 7919L + iteration * 104_729L + shard + (evaluation ? 1_000_000_007L : 0);
  }
}
