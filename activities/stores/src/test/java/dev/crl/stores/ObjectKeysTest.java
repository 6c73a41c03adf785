package dev.crl.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {

  private final ObjectKeys.RunKeys run = ObjectKeys.run("room-tiny.2026-11-21");

  @Test
  void keysAreDerivedFromRunIterationAndShard() {
    assertEquals(
        "runs/room-tiny.2026-11-21/iter-000012/rollouts/shard-003.jsonl.gz", run.rolloutShard(12, 3));
    assertEquals(
        "runs/room-tiny.2026-11-21/iter-000012/distillation/shard-000.jsonl.gz", run.distillationShard(12, 0));
    assertEquals("runs/room-tiny.2026-11-21/checkpoints/actor/v-000004/", run.checkpointPrefix("actor", 4));
    assertEquals(
        "runs/room-tiny.2026-11-21/checkpoints/extractor/v-000004/manifest.json", run.checkpointManifest("extractor", 4));
    assertEquals("runs/room-tiny.2026-11-21/checkpoints/actor/LATEST.json", run.latestCheckpointPointer("actor"));
    assertEquals("runs/room-tiny.2026-11-21/bank/iter-000007/snapshot.jsonl.gz", run.bankSnapshot(7));
    assertEquals("runs/room-tiny.2026-11-21/eval/iter-000010/no-experience.json", run.evaluationReport(10, "no-experience"));
    assertEquals(run.rolloutShard(12, 3), run.rolloutShard(12, 3), "the same inputs always give the same key");
  }

  @Test
  void zeroPaddingMakesListingOrderNumericOrder() {
    List<String> keys = new java.util.ArrayList<>(List.of(run.rolloutShard(10, 0), run.rolloutShard(9, 0), run.rolloutShard(100, 0)));
    keys.sort(null);
    assertEquals(List.of(run.rolloutShard(9, 0), run.rolloutShard(10, 0), run.rolloutShard(100, 0)), keys);
  }

  @Test
  void badComponentsAreRejectedWithTheReason() {
    assertThrows(IllegalArgumentException.class, () -> ObjectKeys.run("../etc"));
    assertThrows(IllegalArgumentException.class, () -> ObjectKeys.run(""));
    assertThrows(IllegalArgumentException.class, () -> run.rolloutShard(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> run.rolloutShard(0, -2));
    assertThrows(IllegalArgumentException.class, () -> run.checkpointPrefix("a/b", 1));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> run.shardKey(1, "x y", 0, "json"));
    assertTrue(error.getMessage().contains("artifact kind"), error.getMessage());
  }

  @Test
  void validationAcceptsPortableKeysOnly() {
    assertEquals("a/b-c_d.e=f+g@h,i", ObjectKeys.validate("a/b-c_d.e=f+g@h,i"));
    assertThrows(IllegalArgumentException.class, () -> ObjectKeys.validate("a/" + ObjectKeys.TEMP_MARKER + "x"));
    assertThrows(IllegalArgumentException.class, () -> ObjectKeys.validate("x".repeat(ObjectKeys.MAX_KEY_BYTES + 1)));
    assertEquals("runs/", ObjectKeys.validatePrefix("runs/"));
    assertEquals("", ObjectKeys.validatePrefix(""));
    assertThrows(IllegalArgumentException.class, () -> ObjectKeys.validatePrefix("/runs"));
  }
}
