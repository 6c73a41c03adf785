package dev.crl.activities.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crl.api.payload.IterationPlan;
import dev.crl.api.payload.TaskInstance;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpisodePlanTest {
  private final IterationPlan plan = new IterationPlan("r", 3,
      List.of(new TaskInstance("a", 1), new TaskInstance("a", 2), new TaskInstance("b", 3)), 4, 2);

  @Test
  void shardsPartitionThePlanWithStableIdsAndGuidedHalves() {
    List<EpisodePlan.Slot> all = EpisodePlan.all(plan, false);
    assertEquals(12, all.size());
    List<EpisodePlan.Slot> union = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      union.addAll(EpisodePlan.slice(plan, false, s, 2));
    }
    assertEquals(all, union);
    assertEquals(12, new HashSet<>(all.stream().map(EpisodePlan.Slot::episodeId).toList()).size());
    assertEquals(6, all.stream().filter(EpisodePlan.Slot::guided).count());
    assertEquals("i3-t0-k3", all.get(3).episodeId());
    assertEquals("e3-t0-k0", EpisodePlan.all(plan, true).get(0).episodeId());
  }

  @Test
  void aShardOutsideThePlanIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> EpisodePlan.slice(plan, false, 2, 2));
  }
}
