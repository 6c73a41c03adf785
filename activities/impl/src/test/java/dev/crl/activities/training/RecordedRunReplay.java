package dev.crl.activities.training;

import dev.crl.activities.WorkerResources;
import dev.crl.activities.rollout.Trajectory;
import dev.crl.activities.rollout.TrajectoryCodec;
import dev.crl.api.spec.RunSpec;
import dev.crl.learning.PolicyModel;
import dev.crl.learning.rl.RlTrainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Replays the rollouts a finished run stored through one continuous in-process trainer, starting
 * from the run's initial actor checkpoint, and prints each iteration's update statistics. When
 * they equal the run's own {@code actor_*} metrics, the orchestrated updates (activities,
 * checkpoints between iterations, the trainer kept across them) trained exactly what an
 * in-process loop would have. Not a unit test: it needs a run directory with a local object store.
 *
 * <p>Usage: {@code RecordedRunReplay <run dir> [iterations]}, e.g. on the directory that
 * {@code crl train --preset room-tiny} printed.
 */
public final class RecordedRunReplay {
  public static void main(String[] args) throws Exception {
    Path runDir = Path.of(args[0]);
    RunSpec spec = WorkerResources.specLoader().parse(Files.readString(runDir.resolve("spec.yaml")), "spec.yaml");
    Path store;
    try (Stream<Path> runs = Files.list(runDir.resolve("store/runs"))) {
      store = runs.findFirst().orElseThrow(() -> new IllegalArgumentException("no run under " + runDir));
    }
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : spec.budget().iterations();
    ActorUpdate update = new ActorUpdate(spec.algorithm());
    try (PolicyModel actor = PolicyModel.load(store.resolve("checkpoints/actor/v-000000"));
        RlTrainer trainer = new RlTrainer(actor, Optimizers.actor(spec))) {
      for (int it = 0; it < iterations; it++) {
        List<Trajectory> played = new ArrayList<>();
        try (Stream<Path> shards = Files.list(store.resolve(String.format("iter-%06d/rollouts", it)))) {
          for (Path shard : shards.sorted().toList()) {
            played.addAll(TrajectoryCodec.decode(Files.readAllBytes(shard), shard.toString()));
          }
        }
        Map<String, Double> stats = update.apply(trainer, played, step -> {});
        System.out.printf("iteration %d: loss %.5f clip_fraction %.5f grad_norm %.5f entropy %.5f samples %.0f%n", it,
            stats.get("loss"), stats.get("clip_fraction"), stats.get("grad_norm"), stats.get("entropy"), stats.get("samples"));
      }
    }
  }
}
