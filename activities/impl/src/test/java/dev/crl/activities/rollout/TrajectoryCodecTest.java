package dev.crl.activities.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrajectoryCodecTest {
  @Test
  void roundTripsAndRefusesCorruptShards() {
    Trajectory t = new Trajectory("e", "sokoban", 9, 2, true, "id", "lesson", "goal", "obs",
        List.of(new Turn(new int[] {1, 2}, new int[] {3}, new float[] {-0.25f}, "up", 0, true, "no")),
        false, 0, -0.03, 1);
    byte[] bytes = TrajectoryCodec.encode(List.of(t, t));
    List<Trajectory> back = TrajectoryCodec.decode(bytes, "shard");
    assertEquals(2, back.size());
    assertArrayEquals(new int[] {3}, back.get(0).turns().get(0).generatedTokens());
    assertEquals(t.episodeId(), back.get(1).episodeId());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrajectoryCodec.decode(Arrays.copyOf(bytes, bytes.length / 2), "shard-7"));
    assertTrue(e.getMessage().contains("shard-7"), e.getMessage());
  }
}
