package dev.crl.experience.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.experience.DistillationRequest;
import dev.crl.experience.ExperienceEntry;
import dev.crl.experience.ExperienceManager;
import dev.crl.experience.ExperienceManagerConfig;
import dev.crl.experience.RetrievalQuery;
import dev.crl.experience.ScriptedExtractor;
import dev.crl.experience.TestBanks;
import dev.crl.experience.embedding.HashingEmbedder;
import dev.crl.experience.store.ExactExperienceStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotTest {

  private final ScriptedExtractor extractor = new ScriptedExtractor(p -> ScriptedExtractor.noChange());

  private ExperienceManager populated() {
    ExperienceManager manager = TestBanks.manager(extractor, ExperienceManagerConfig.defaults());
    for (int i = 0; i < 30; i++) {
      int n = i;
      extractor.answer(p -> ScriptedExtractor.add("Lesson " + n, "content number " + n + " with ünïcode"));
      manager.submit(new DistillationRequest("ep-" + i, "goal " + i, "obs", i % 2 == 0, List.of(), List.of("t" + (i % 3))));
      manager.drainDistillation();
    }
    manager.retrieve(List.of(RetrievalQuery.of("goal 3", "content number 3")));
    manager.recordOutcome(manager.entries().get(4).id(), true);
    manager.recordExtractorTraining(List.of(manager.entries().get(5).id()), 7);
    return manager;
  }

  private static byte[] bytes(ExperienceManager manager) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    manager.writeSnapshot(out);
    return out.toByteArray();
  }

  @Test
  void restoreGivesBackAnIdenticalBank() throws IOException {
    try (ExperienceManager original = populated();
        ExperienceManager restored = TestBanks.manager(extractor, ExperienceManagerConfig.defaults())) {
      byte[] snapshot = bytes(original);
      restored.restore(new ByteArrayInputStream(snapshot));
      List<ExperienceEntry> a = original.entries();
      List<ExperienceEntry> b = restored.entries();
      assertEquals(a, b);
      for (int i = 0; i < a.size(); i++) {
        // Vectors must be bit-identical, not merely close.
        float[] va = a.get(i).embedding();
        float[] vb = b.get(i).embedding();
        for (int d = 0; d < va.length; d++) {
          assertEquals(Float.floatToRawIntBits(va[d]), Float.floatToRawIntBits(vb[d]));
        }
      }
      assertArrayEquals(snapshot, bytes(restored));
      assertTrue(a.stream().anyMatch(e -> e.stats().timesRetrieved() > 0));
      assertTrue(a.stream().anyMatch(e -> e.stats().guidedSuccesses() > 0));
      assertTrue(a.stream().anyMatch(e -> e.stats().lastTrainedStep() == 7));
      // The restored bank is searchable and keeps allocating fresh ids.
      List<String> found = restored.retrieve(List.of(RetrievalQuery.of("goal 3", "content number 3").withK(30)))
          .get(0).experiences().stream().map(r -> r.entry().id()).toList();
      assertTrue(found.contains(a.get(3).id()), found.toString());
      extractor.answer(p -> ScriptedExtractor.add("New", "after restore"));
      restored.submit(new DistillationRequest("ep-new", "g", "o", true, List.of(), List.of()));
      String id = restored.drainDistillation().get(0).applied().get(0).entryId();
      assertTrue(original.get(id).isEmpty(), "restored manager reused id " + id);
    }
  }

  @Test
  void damagedSnapshotsAreRejectedAndTheBankIsKept() throws IOException {
    try (ExperienceManager original = populated();
        ExperienceManager target = populated()) {
      byte[] good = bytes(original);
      List<ExperienceEntry> before = target.entries();
      byte[] truncated = Arrays.copyOf(good, good.length / 2);
      byte[] flipped = good.clone();
      flipped[good.length / 2] ^= 0x10;
      byte[] garbage = "definitely not a bank".getBytes();
      for (byte[] bad : List.of(truncated, flipped, garbage, new byte[0])) {
        IOException e = assertThrows(IOException.class, () -> target.restore(new ByteArrayInputStream(bad)));
        assertTrue(e.getMessage().contains("snapshot"), e.getMessage());
        assertEquals(before, target.entries());
      }
    }
  }

  @Test
  void aSnapshotFromAnotherEmbeddingSpaceIsRefused() throws IOException {
    try (ExperienceManager original = populated();
        ExperienceManager other = ExperienceManager.builder()
            .setStore(new ExactExperienceStore(64))
            .setEmbedder(new HashingEmbedder(64, 99))
            .setExtractor(extractor)
            .build()) {
      byte[] snapshot = bytes(original);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> other.restore(new ByteArrayInputStream(snapshot)));
      assertTrue(e.getMessage().contains("embedder"), e.getMessage());
      assertEquals(0, other.size());
    }
  }
}
