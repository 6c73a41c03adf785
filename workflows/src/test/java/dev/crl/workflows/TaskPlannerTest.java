package dev.crl.workflows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.api.payload.IterationPlan;
import dev.crl.api.payload.RolloutResult;
import dev.crl.api.payload.TaskInstance;
import dev.crl.api.spec.RunSpec;
import dev.crl.api.spec.TasksSpec;
import dev.crl.api.spec.TasksSpec.EnvWeight;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure helpers behind the loop: planning, sharding and statistics. */
class TaskPlannerTest {

  @Test
  void planIsAFunctionOfSeedAndIteration() {
    RunSpec spec = TestSpecs.run(10, 0, 0, Map.of());
    IterationPlan a = TaskPlanner.training("r", 3, spec);
    assertEquals(a, TaskPlanner.training("r", 3, spec));
    assertNotEquals(a.tasks(), TaskPlanner.training("r", 4, spec).tasks());
    RunSpec otherSeed = new RunSpec("test", 8L, spec.tasks(), null, spec.algorithm(), spec.budget(), null, null);
    assertNotEquals(a.tasks(), TaskPlanner.training("r", 3, otherSeed).tasks());
    assertEquals(6, a.tasks().size());
    assertTrue(a.tasks().stream().allMatch(t -> t.seed() >= 0 && t.seed() < 1_000_000L),
        "training seeds stay below the held-out evaluation range");
  }

  @Test
  void mixtureWeightsAreApportionedExactly() {
    List<EnvWeight> envs = List.of(new EnvWeight("a", 3.0), new EnvWeight("b", 1.0), new EnvWeight("c", 1.0));
    assertArrayEquals(new int[] {6, 2, 2}, TaskPlanner.apportion(envs, 10));
    assertArrayEquals(new int[] {1, 0, 0}, TaskPlanner.apportion(envs, 1));
    // 4.2, 1.4 and 1.4: the one task left over goes to the first largest remainder.
    assertArrayEquals(new int[] {4, 2, 1}, TaskPlanner.apportion(envs, 7));
  }

  @Test
  void guidedShareStartsAfterWarmupAndNeverInGrpo() {
    RunSpec spec = TestSpecs.run(10, 0, 0, Map.of("retrieval_warmup_steps", "2"));
    assertEquals(0, TaskPlanner.guidedPerGroup(spec, 1));
    assertEquals(2, TaskPlanner.guidedPerGroup(spec, 2));
    RunSpec grpo = TestSpecs.run(10, 0, 0, Map.of("mode", "grpo"));
    assertEquals(0, TaskPlanner.guidedPerGroup(grpo, 50));
  }

  @Test
  void evaluationUsesTheSameHeldOutSeedsEveryTime() {
    TasksSpec tasks = new TasksSpec(null, List.of(new EnvWeight("a", 1.0), new EnvWeight("b", 5.0)),
        new TasksSpec.EvalSpec(3, 500L));
    IterationPlan with = TaskPlanner.evaluation("r", 7, tasks, true);
    assertEquals(List.of(new TaskInstance("a", 500), new TaskInstance("a", 501), new TaskInstance("a", 502),
        new TaskInstance("b", 500), new TaskInstance("b", 501), new TaskInstance("b", 502)), with.tasks());
    assertEquals(2, with.groupSize());
    assertEquals(1, with.guidedPerGroup());
    IterationPlan without = TaskPlanner.evaluation("r", 9, tasks, false);
    assertEquals(with.tasks(), without.tasks());
    assertEquals(0, without.guidedPerGroup());
  }

  @Test
  void unresolvedMixtureIsRefused() {
    RunSpec spec = TestSpecs.run(1, 0, 0, Map.of()).withTasks(new TasksSpec("mix-6", List.of(), null));
    var error = assertThrows(IllegalArgumentException.class, () -> TaskPlanner.training("r", 0, spec));
    assertTrue(error.getMessage().contains("mix-6"));
  }

  @Test
  void shardsGrowWithTasksUpToTheCap() {
    assertEquals(1, RolloutFanOut.shardCount(0));
    assertEquals(1, RolloutFanOut.shardCount(4));
    assertEquals(2, RolloutFanOut.shardCount(5));
    assertEquals(RolloutFanOut.MAX_SHARDS, RolloutFanOut.shardCount(1000));
  }

  @Test
  void shardStatisticsAreWeightedByEpisodes() {
    Map<String, Double> stats = ShardStats.aggregate(List.of(
        new RolloutResult("k0", 30, Map.of("success_free", 1.0, "success_free/a", 1.0)),
        new RolloutResult("k1", 10, Map.of("success_free", 0.0, "success_free/b", 0.0,
            "loss", Double.NaN))));
    assertEquals(0.75, stats.get("success_free"), 1e-12);
    assertEquals(1.0, stats.get("success_free/a"));
    assertEquals(0.0, stats.get("success_free/b"));
    assertEquals(40.0, stats.get("episodes"));
    assertTrue(!stats.containsKey("loss"), "non-finite statistics are dropped");
  }
}
