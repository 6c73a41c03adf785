package dev.crl.activities.bench;

import dev.crl.activities.rollout.EpisodeBatchRunner;
import dev.crl.activities.rollout.EpisodeSpec;
import dev.crl.activities.rollout.RolloutActivitiesImpl;
import dev.crl.activities.rollout.Trajectory;
import dev.crl.activities.training.ActorUpdate;
import dev.crl.activities.training.TinyVocabulary;
import dev.crl.api.spec.AlgorithmSpec;
import dev.crl.learning.PolicyModel;
import dev.crl.learning.rl.OptimizerConfig;
import dev.crl.learning.rl.RlTrainer;
import dev.crl.learning.sampling.SamplingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The actor's GRPO loop without orchestration or experience, for tuning the tiny actor's learning
 * quickly: rollouts with {@link EpisodeBatchRunner}, updates with {@link ActorUpdate}, evaluation
 * on held-out seeds. Settings come from system properties (see the constants below).
 */
public final class ActorLearningExperiment {
  private static final String[] DIRS = {"north", "east", "south", "west", "northeast", "southeast", "southwest", "northwest"};

  /** Direction of the stairs next to the agent in a tiny prompt (from its neighbour words), or -1. */
  private static int stairsDirection(String[] words) {
    for (String word : words) {
      if (word.endsWith(":>")) {
        return List.of(DIRS).indexOf(word.substring(0, word.length() - 2));
      }
    }
    return -1;
  }

  /**
   * AdamW at {@code lr}, decayed by a cosine over the whole run when {@code -Dcosine=true}, reached
   * by a linear warm-up over the first {@code -Dwarmup} steps.
   */
  private static OptimizerConfig optimizer(double lr, long totalSteps) {
    OptimizerConfig.Builder b = OptimizerConfig.builder().setLearningRate(lr).optMaxGradNorm(1.0).optMicroBatchSize(64)
        .optWarmupSteps(Integer.getInteger("warmup", 0));
    return Boolean.getBoolean("cosine") ? b.optCosineDecay(totalSteps).build() : b.build();
  }

  public static void main(String[] args) {
    String env = System.getProperty("env", "minihack-room");
    int iterations = Integer.getInteger("iterations", 40);
    int tasks = Integer.getInteger("tasks", 8);
    int group = Integer.getInteger("group", 8);
    int maxTurns = Integer.getInteger("turns", 30);
    int minibatches = Integer.getInteger("minibatches", 4);
    double lr = Double.parseDouble(System.getProperty("lr", "1e-3"));
    int evalEvery = Integer.getInteger("evalEvery", 10);
    int evalEpisodes = Integer.getInteger("evalEpisodes", 64);
    String preset = System.getProperty("preset", "tiny");
    String guidedText = System.getProperty("guided");
    // Training task seeds are seedOffset + it * tasks + task, so that runs can play other tasks.
    long seedOffset = Long.getLong("seedOffset", 0);
    // With -DrunSeed=s (and -DseedFile holding that run's task seeds, -Dshards=8) the harness
    // plays what a grpo-mode room-tiny run with seed s plays: its model seed, task instances and
    // sampling seeds. Such a run and this harness then print the same training statistics.
    Long runSeed = Long.getLong("runSeed");
    // With -DseedFile, line i holds iteration i's task seeds (comma-separated), e.g. a run's.
    List<long[]> seedLines = new ArrayList<>();
    if (System.getProperty("seedFile") != null) {
      try {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(System.getProperty("seedFile")))) {
          seedLines.add(java.util.Arrays.stream(line.split(",")).mapToLong(Long::parseLong).toArray());
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    AlgorithmSpec algorithm = new AlgorithmSpec(group, null, null, null, null, lr, null, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, null, null, null, minibatches, null,
        Double.parseDouble(System.getProperty("discount", "1")),
        Double.parseDouble(System.getProperty("klStop", "0")), null, null, "grpo");
    TinyVocabulary.Built vocab = TinyVocabulary.build(List.of(env), maxTurns);
    System.out.println("vocabulary " + vocab.tokenizer().vocabSize());
    SamplingParams sampling = new SamplingParams(1, 0.99, 0.99, 100, List.of("</answer>"), null);
    long t0 = System.nanoTime();
    try (PolicyModel actor = PolicyModel.createTiny(preset, vocab.tokenizer(),
        runSeed != null ? runSeed : Long.getLong("modelSeed", 7));
        RlTrainer trainer = new RlTrainer(actor, optimizer(lr, (long) iterations * minibatches))) {
      EpisodeBatchRunner runner = new EpisodeBatchRunner(actor, sampling, maxTurns, true);
      ActorUpdate update = new ActorUpdate(algorithm);
      for (int it = 0; it <= iterations; it++) {
        if (it % evalEvery == 0) {
          List<EpisodeSpec> eval = new ArrayList<>();
          for (int i = 0; i < evalEpisodes; i++) {
            eval.add(new EpisodeSpec("e" + i, env, 1_000_000 + i, i, false, null, null));
          }
          List<Trajectory> played = runner.play(eval, 99 + it, n -> {});
          System.out.printf("EVAL it=%d success=%.3f turns=%.1f t=%.0fs%n", it,
              played.stream().filter(Trajectory::success).count() / (double) played.size(),
              played.stream().mapToInt(t -> t.turns().size()).average().orElse(0),
              (System.nanoTime() - t0) / 1e9);
        }
        if (it == iterations) {
          break;
        }
        List<EpisodeSpec> episodes = new ArrayList<>();
        for (int task = 0; task < tasks; task++) {
          long seed = seedLines.isEmpty() ? seedOffset + (long) it * tasks + task : seedLines.get(it)[task];
          for (int k = 0; k < group; k++) {
            // With -Dguided=text, the second half of each group plays with that text as its
            // experience, a subgroup of its own as in a run's guided rollouts.
            boolean guided = guidedText != null && k >= group / 2;
            episodes.add(new EpisodeSpec(it + "-" + task + "-" + k, env, seed, task, guided,
                guided ? "fixed" : null, guided ? guidedText : null));
          }
        }
        // With -Dshards=n the episodes are played in n consecutive slices, each with its own
        // sampling seed, the way a run's rollout activities play them.
        int shards = Integer.getInteger("shards", 1);
        List<Trajectory> played = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
          List<EpisodeSpec> slice = episodes.subList(s * episodes.size() / shards, (s + 1) * episodes.size() / shards);
          long sampleSeed = RolloutActivitiesImpl.samplingSeed(runSeed != null ? runSeed : 7, it, s, false);
          played.addAll(runner.play(slice, shards == 1 ? it : sampleSeed, n -> {}));
        }
        Map<String, Double> stats = update.apply(trainer, played, b -> {});
        int adjacent = 0;
        int taken = 0;
        for (Trajectory t : played) {
          for (var turn : t.turns()) {
            String[] words = vocab.tokenizer().decode(turn.promptTokens()).split(" ");
            int d = stairsDirection(words);
            if (d >= 0) {
              adjacent++;
              taken += turn.action().equals(DIRS[d]) || turn.action().equals(Integer.toString(d + 1)) ? 1 : 0;
            }
          }
        }
        System.out.printf("   stairs adjacent %d, stepped onto them %.3f%n", adjacent, taken / Math.max(1.0, adjacent));
        System.out.printf("it=%d success=%.3f loss=%.4f clip=%.3f entropy=%.3f kl=%.4f klmax=%.4f steps=%.0f"
                + " grad=%.2f samples=%.0f t=%.0fs%n", it,
            played.stream().filter(Trajectory::success).count() / (double) played.size(),
            stats.getOrDefault("loss", Double.NaN), stats.getOrDefault("clip_fraction", Double.NaN),
            stats.getOrDefault("entropy", Double.NaN), stats.getOrDefault("approx_kl", Double.NaN),
            stats.getOrDefault("approx_kl_max", Double.NaN), stats.get("steps"),
            stats.getOrDefault("grad_norm", Double.NaN), stats.get("samples"), (System.nanoTime() - t0) / 1e9);
      }
    }
  }
}
