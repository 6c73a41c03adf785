package dev.crl.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.crl.api.spec.RunSpec;
import dev.crl.api.spec.RunSpecLoader;
import dev.crl.api.spec.SpecContext;
import dev.crl.learning.rl.OptimizerConfig;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptimizersTest {
  private static RunSpec spec(String schedule) {
    SpecContext context = new SpecContext(Set.of("minihack-room"), name -> Optional.empty(), Set.of());
    return new RunSpecLoader(context).parse("""
        name: lr
        tasks:
          envs:
            - id: minihack-room
        algorithm:
          actor_lr: 0.002
          minibatches: 4
        %s
        budget:
          iterations: 10
        """.formatted(schedule == null ? "" : "  actor_lr_schedule: " + schedule), "test");
  }

  @Test
  void theActorRateIsConstantByDefault() {
    OptimizerConfig c = Optimizers.actor(spec(null));
    assertEquals(0.002, c.learningRateAt(1), 1e-12);
    assertEquals(0.002, c.learningRateAt(40), 1e-12);
  }

  @Test
  void aWarmUpRampsTheRateLinearlyBeforeTheSchedule() {
    OptimizerConfig c = Optimizers.actor(spec("cosine\n  actor_lr_warmup_steps: 8"));
    assertEquals(0.00025, c.learningRateAt(1), 1e-12, "step 1 of 8");
    assertEquals(0.002, c.learningRateAt(8), 1e-12, "the peak at the warm-up's end");
    assertEquals(0.0002, c.learningRateAt(40), 1e-12, "the cosine still ends with the budget");
  }

  @Test
  void aCosineScheduleEndsAtATenthOfThePeakWithTheBudget() {
    OptimizerConfig c = Optimizers.actor(spec("cosine"));
    assertEquals(0.002, c.learningRateAt(0), 1e-12);
    assertEquals(0.0011, c.learningRateAt(20), 1e-9, "half-way through 10 iterations x 4 mini-batches");
    assertEquals(0.0002, c.learningRateAt(40), 1e-12);
    assertEquals(0.0002, c.learningRateAt(400), 1e-12, "past the budget (a resumed or extended run) it stays there");
  }
}
