package dev.crl.experience.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.experience.EntryStats;
import dev.crl.experience.ExperienceEntry;
import dev.crl.experience.Provenance;
import dev.crl.experience.embedding.VectorMath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the HNSW store adds to the contract: pending vectors, background rebuilds, recall. */
class HnswExperienceStoreTest {

  private static final int DIM = 24;
  private final Random random = new Random(5);

  private ExperienceEntry entry(int i) {
    float[] v = new float[DIM];
    for (int d = 0; d < DIM; d++) {
      v[d] = (float) random.nextGaussian();
    }
    return new ExperienceEntry("e-" + i, "t", "c", List.of(i % 2 == 0 ? "even" : "odd"),
        VectorMath.normalizeInPlace(v), EntryStats.NEW, new Provenance(List.of(), "c", 0, 0), 1);
  }

  private static List<String> exactTop(List<ExperienceEntry> live, float[] query, int k, Optional<String> tag) {
    return live.stream()
        .filter(e -> tag.isEmpty() || e.tags().contains(tag.get()))
        .sorted((a, b) -> Double.compare(VectorMath.dot(b.embedding(), query), VectorMath.dot(a.embedding(), query)))
        .limit(k).map(ExperienceEntry::id).toList();
  }

  @Test
  void aBulkUpsertIsSearchedExactlyUntilItsGraphIsBuiltAndWellAfterwards() throws Exception {
    List<ExperienceEntry> all = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      all.add(entry(i));
    }
    try (HnswExperienceStore store = new HnswExperienceStore(DIM, 64, 1)) {
      store.upsert(all);
      assertEquals(3000, store.count());
      float[] query = all.get(7).embedding();
      // Whatever the background build has reached, the answer is right: pending vectors are scanned.
      assertEquals("e-7", store.search(query, 1, Optional.empty()).get(0).id());
      assertTrue(store.awaitGraphComplete(2, TimeUnit.MINUTES));
      assertEquals(3000, store.graphNodes());
      int found = 0;
      int wanted = 0;
      for (int q = 0; q < 50; q++) {
        float[] v = entry(10_000 + q).embedding();
        Set<String> got = new HashSet<>();
        store.search(v, 10, Optional.empty()).forEach(h -> got.add(h.id()));
        for (String id : exactTop(all, v, 10, Optional.empty())) {
          wanted++;
          found += got.contains(id) ? 1 : 0;
        }
      }
      assertTrue(found >= 0.9 * wanted, "recall@10 " + found + "/" + wanted);
    }
  }

  @Test
  void aTagFilteredGraphSearchReturnsOnlyThatTagBestFirstWithExactScores() throws Exception {
    List<ExperienceEntry> all = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      all.add(entry(i));
    }
    // exactScanBelow 0: even a filter that leaves half the bank goes through the graph walk.
    try (HnswExperienceStore store = new HnswExperienceStore(DIM, 64, 1, 0)) {
      store.upsert(all);
      assertTrue(store.awaitGraphComplete(2, TimeUnit.MINUTES));
      int found = 0;
      int wanted = 0;
      for (int q = 0; q < 50; q++) {
        float[] v = entry(20_000 + q).embedding();
        List<ScoredId> hits = store.search(v, 10, Optional.of("odd"));
        assertEquals(10, hits.size());
        for (int i = 0; i < hits.size(); i++) {
          ScoredId hit = hits.get(i);
          assertEquals(1, Integer.parseInt(hit.id().substring(2)) % 2, "an even entry came back: " + hit.id());
          float[] stored = all.get(Integer.parseInt(hit.id().substring(2))).embedding();
          assertEquals(VectorMath.dot(stored, v), hit.score(), 1e-5, "score of " + hit.id());
          if (i > 0) {
            assertTrue(hits.get(i - 1).score() >= hit.score(), "not best first at " + i);
          }
        }
        Set<String> got = new HashSet<>();
        hits.forEach(h -> got.add(h.id()));
        for (String id : exactTop(all, v, 10, Optional.of("odd"))) {
          wanted++;
          found += got.contains(id) ? 1 : 0;
        }
      }
      assertTrue(found >= 0.9 * wanted, "recall@10 " + found + "/" + wanted);
    }
  }

  @Test
  void deadNodesAreRebuiltAwayAndNeverReturned() throws Exception {
    try (HnswExperienceStore store = new HnswExperienceStore(DIM, 64, 1)) {
      List<ExperienceEntry> live = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        ExperienceEntry e = entry(i);
        store.upsert(List.of(e));
        live.add(e);
      }
      List<String> gone = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        gone.add(live.remove(0).id());
      }
      store.delete(gone);
      assertTrue(store.awaitGraphComplete(1, TimeUnit.MINUTES));
      assertEquals(200, store.graphNodes(), "the rebuilt graph holds the live entries only");
      for (ExperienceEntry e : live) {
        List<ScoredId> hits = store.search(e.embedding(), 5, Optional.empty());
        assertEquals(e.id(), hits.get(0).id());
        hits.forEach(h -> assertFalse(gone.contains(h.id()), h.id()));
      }
    }
  }

  @Test
  void writesDuringARebuildSurviveTheSwap() throws Exception {
    try (HnswExperienceStore store = new HnswExperienceStore(DIM, 64, 1)) {
      List<ExperienceEntry> bulk = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        bulk.add(entry(i));
      }
      store.upsert(bulk);
      // These land while the background build of the bulk runs (or just after it).
      List<ExperienceEntry> live = new ArrayList<>(bulk);
      Set<String> deleted = new HashSet<>();
      for (int i = 0; i < 300; i++) {
        ExperienceEntry added = entry(5000 + i);
        store.upsert(List.of(added));
        live.add(added);
        ExperienceEntry replaced = entry(i);
        store.upsert(List.of(replaced));
        live.set(i, replaced);
        store.delete(List.of("e-" + (1000 + i)));
        deleted.add("e-" + (1000 + i));
      }
      live.removeIf(e -> deleted.contains(e.id()));
      assertTrue(store.awaitGraphComplete(2, TimeUnit.MINUTES));
      assertEquals(live.size(), store.count());
      Set<String> liveIds = new HashSet<>();
      live.forEach(e -> liveIds.add(e.id()));
      int top = 0;
      for (ExperienceEntry e : live) {
        List<ScoredId> hits = store.search(e.embedding(), 3, Optional.empty());
        top += hits.get(0).id().equals(e.id()) ? 1 : 0;
        hits.forEach(h -> assertTrue(liveIds.contains(h.id()), "dead entry returned: " + h.id()));
      }
      assertTrue(top >= 0.99 * live.size(), "own vector first for " + top + " of " + live.size());
      for (int q = 0; q < 20; q++) {
        float[] v = entry(20_000 + q).embedding();
        List<String> odd = store.search(v, 5, Optional.of("odd")).stream().map(ScoredId::id).toList();
        assertEquals(exactTop(live, v, 5, Optional.of("odd")), odd, "a selective tag filter is answered exactly");
      }
    }
  }
}
