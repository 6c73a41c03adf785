package dev.crl.experience.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.experience.EntryStats;
import dev.crl.experience.ExperienceEntry;
import dev.crl.experience.Provenance;
import dev.crl.experience.embedding.VectorMath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The exact store against a brute-force ranking while entries are inserted, replaced and deleted
 * (rows move on delete), the capacity grows, tags filter, and the scan runs in several parts.
 */
class ExactExperienceStoreTest {

  private static final int DIM = 48;

  @Test
  void matchesBruteForceThroughChurnTagsAndSplitScans() {
    Random random = new Random(7);
    Map<String, ExperienceEntry> live = new LinkedHashMap<>();
    // One helper and parts of 300 rows: a bank of a few thousand entries is scanned in two parts.
    try (ExactExperienceStore store = new ExactExperienceStore(DIM, 1, 300)) {
      int nextId = 0;
      for (int round = 0; round < 12; round++) {
        List<ExperienceEntry> batch = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
          ExperienceEntry e = entry("e" + nextId++, random);
          batch.add(e);
        }
        // Replace some live entries with new vectors and tags under the same id.
        List<String> ids = new ArrayList<>(live.keySet());
        for (int i = 0; i < Math.min(20, ids.size()); i++) {
          batch.add(entry(ids.get(random.nextInt(ids.size())), random));
        }
        store.upsert(batch);
        batch.forEach(e -> live.put(e.id(), e));
        // Delete a random tenth, which moves rows from the end into the holes.
        List<String> doomed = new ArrayList<>();
        for (String id : live.keySet()) {
          if (random.nextInt(10) == 0) {
            doomed.add(id);
          }
        }
        doomed.add("never-existed");
        store.delete(doomed);
        doomed.forEach(live::remove);
        assertEquals(live.size(), store.count());
        checkSearches(store, new ArrayList<>(live.values()), random);
      }
      for (ExperienceEntry e : live.values()) {
        assertEquals(e, store.get(e.id()).orElseThrow());
      }
    }
  }

  private static void checkSearches(ExactExperienceStore store, List<ExperienceEntry> bank, Random random) {
    List<float[]> queries = new ArrayList<>();
    List<Optional<String>> tags = new ArrayList<>();
    for (int q = 0; q < 16; q++) {
      queries.add(unit(random));
      tags.add(q % 4 == 0 ? Optional.of("env-" + (q % 3)) : q % 4 == 1 ? Optional.of("rare") : Optional.empty());
    }
    List<List<ScoredId>> got = store.searchBatch(queries, 16, tags);
    int matched = 0;
    int wanted = 0;
    for (int q = 0; q < queries.size(); q++) {
      List<String> expected = BruteForceSearch.topIds(bank, queries.get(q), 16, tags.get(q));
      List<String> ids = got.get(q).stream().map(ScoredId::id).toList();
      assertEquals(expected.size(), ids.size(), "query " + q + " (" + tags.get(q) + ")");
      for (ScoredId hit : got.get(q)) {
        ExperienceEntry e = bank.stream().filter(x -> x.id().equals(hit.id())).findFirst().orElseThrow();
        assertTrue(tags.get(q).isEmpty() || e.tags().contains(tags.get(q).get()), "tag filter broken");
        // Scores are exact cosine similarities, not int8 approximations.
        assertEquals(VectorMath.dot(queries.get(q), e.embedding()), hit.score(), 1e-5);
      }
      for (int i = 1; i < ids.size(); i++) {
        assertTrue(got.get(q).get(i - 1).score() >= got.get(q).get(i).score(), "not best first");
      }
      assertEquals(expected.get(0), ids.get(0), "best entry of query " + q);
      wanted += expected.size();
      matched += (int) expected.stream().filter(ids::contains).count();
    }
    // The int8 scan may let a near-tie slip out of the top 16; it must stay rare.
    assertTrue(matched >= wanted * 0.99, "recall@16 " + matched + "/" + wanted);
  }

  @Test
  void aSelectiveFilterOnALongScanReturnsOnlyItsRows() {
    // 3,000 rows in one part take the scan's blocked top-k, which pads the scores; a filter that
    // leaves 5 rows for 32 candidates makes the padding part of the result.
    Random random = new Random(3);
    List<ExperienceEntry> bank = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      bank.add(entry("row" + i, random, List.of(i % 600 == 7 ? "rare" : "common")));
    }
    try (ExactExperienceStore store = new ExactExperienceStore(DIM, 0, 4096)) {
      store.upsert(bank);
      for (int q = 0; q < 4; q++) {
        float[] query = unit(random);
        List<String> ids = store.search(query, 16, Optional.of("rare")).stream().map(ScoredId::id).toList();
        assertEquals(BruteForceSearch.topIds(bank, query, 16, Optional.of("rare")), ids);
      }
    }
  }

  @Test
  void filtersByMoreTagsThanTheMaskCacheHoldsStayCorrect() {
    Random random = new Random(5);
    List<ExperienceEntry> bank = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      bank.add(entry("row" + i, random, List.of("t" + (i % 80))));
    }
    try (ExactExperienceStore store = new ExactExperienceStore(DIM)) {
      store.upsert(bank.subList(0, 200));
      float[] query = unit(random);
      // 80 tags: the first 64 are cached, the rest get a mask per search.
      for (int t = 0; t < 80; t++) {
        Optional<String> tag = Optional.of("t" + t);
        assertEquals(BruteForceSearch.topIds(bank.subList(0, 200), query, 16, tag),
            store.search(query, 16, tag).stream().map(ScoredId::id).toList(), "tag t" + t);
      }
      // Writes keep the cached masks current; the uncached ones are built from the new rows.
      store.upsert(bank.subList(200, 400));
      store.delete(List.of("row0", "row79"));
      List<ExperienceEntry> now = bank.subList(1, 400).stream().filter(e -> !e.id().equals("row79")).toList();
      for (String t : List.of("t0", "t63", "t64", "t79")) {
        assertEquals(BruteForceSearch.topIds(now, query, 16, Optional.of(t)),
            store.search(query, 16, Optional.of(t)).stream().map(ScoredId::id).toList(), "tag " + t);
      }
    }
  }

  @Test
  void emptyStoresAndUnknownTagsGiveNoResults() {
    try (ExactExperienceStore store = new ExactExperienceStore(DIM)) {
      Random random = new Random(1);
      assertEquals(List.of(), store.search(unit(random), 3, Optional.empty()));
      store.upsert(List.of(entry("a", random)));
      assertEquals(List.of(), store.search(unit(random), 3, Optional.of("no-such-tag")));
      assertEquals(1, store.search(unit(random), 3, Optional.empty()).size());
      store.clear();
      assertEquals(0, store.count());
      assertEquals(List.of(), store.search(unit(random), 3, Optional.empty()));
    }
  }

  @Test
  void badQueriesAreRejectedWithAReason() {
    try (ExactExperienceStore store = new ExactExperienceStore(DIM)) {
      float[] wrongLength = new float[DIM + 1];
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> store.search(wrongLength, 1, Optional.empty()));
      assertTrue(e.getMessage().contains("coordinates"), e.getMessage());
      float[] nan = new float[DIM];
      nan[3] = Float.NaN;
      assertThrows(IllegalArgumentException.class, () -> store.search(nan, 1, Optional.empty()));
    }
  }

  private static ExperienceEntry entry(String id, Random random) {
    int t = random.nextInt(3);
    List<String> tags = random.nextInt(50) == 0 ? List.of("env-" + t, "rare") : List.of("env-" + t);
    return entry(id, random, tags);
  }

  private static ExperienceEntry entry(String id, Random random, List<String> tags) {
    return new ExperienceEntry(id, "title " + id, "content " + id, tags, unit(random), EntryStats.NEW,
        new Provenance(List.of("episode"), "test", 0, 0), 1);
  }

  private static float[] unit(Random random) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return VectorMath.normalizeInPlace(v);
  }
}
