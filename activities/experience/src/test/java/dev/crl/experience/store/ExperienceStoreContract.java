package dev.crl.experience.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.experience.EntryStats;
import dev.crl.experience.ExperienceEntry;
import dev.crl.experience.Provenance;
import dev.crl.experience.embedding.HashingEmbedder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ExperienceStore} must have. Subclasses supply the store; the embedded
 * store runs it always, the Qdrant store whenever QDRANT_URL points at a server.
 */
abstract class ExperienceStoreContract {

  static final int DIM = 32;
  private final HashingEmbedder embedder = new HashingEmbedder(DIM, 11);
  private ExperienceStore store;

  /** A fresh, empty store for {@code dimension}-wide vectors. */
  abstract ExperienceStore newStore(int dimension);

  /** Removes whatever the store created outside the process (a Qdrant collection). */
  void dispose(ExperienceStore s) {}

  @BeforeEach
  void open() {
    store = newStore(DIM);
  }

  @AfterEach
  void closeStore() {
    if (store == null) {
      return;
    }
    dispose(store);
    store.close();
  }

  ExperienceEntry entry(String id, String text, List<String> tags, long version) {
    return new ExperienceEntry(id, "title " + id, text, tags, embedder.embed(text),
        new EntryStats(3, 2, 1_700_000_000_000L, 5, 1, 4),
        new Provenance(List.of("ep-a", "ep-b"), "ckpt-7", 1_700_000_000_000L, 1_700_000_000_500L), version);
  }

  @Test
  void anUpsertedEntryComesBackFieldForField() {
    ExperienceEntry e = entry("exp-1", "push the boulder into the water", List.of("river", "minihack"), 3);
    store.upsert(List.of(e));
    assertEquals(Optional.of(e), store.get("exp-1"));
    assertEquals(1, store.count());
    assertEquals(Optional.empty(), store.get("exp-404"));
  }

  @Test
  void upsertReplacesByIdAndDeleteRemoves() {
    store.upsert(List.of(entry("exp-1", "first text", List.of("a"), 1), entry("exp-2", "second text", List.of("a"), 1)));
    ExperienceEntry replaced = entry("exp-1", "completely different words", List.of("b"), 2);
    store.upsert(List.of(replaced));
    assertEquals(2, store.count());
    assertEquals(Optional.of(replaced), store.get("exp-1"));
    store.delete(List.of("exp-2", "exp-unknown"));
    assertEquals(1, store.count());
    assertEquals(Optional.empty(), store.get("exp-2"));
    List<ScoredId> hits = store.search(embedder.embed("first text"), 10, Optional.empty());
    assertEquals(List.of("exp-1"), hits.stream().map(ScoredId::id).toList());
  }

  @Test
  void searchRanksByCosineSimilarityAndFiltersByTag() {
    store.upsert(List.of(
        entry("exp-1", "open the locked door with the key", List.of("keyroom"), 1),
        entry("exp-2", "buy a red cotton shirt", List.of("webshop"), 1),
        entry("exp-3", "open the door", List.of("webshop"), 1)));
    float[] query = embedder.embed("open the locked door with the key");
    List<ScoredId> hits = store.search(query, 3, Optional.empty());
    assertEquals("exp-1", hits.get(0).id());
    assertEquals(1.0, hits.get(0).score(), 1e-4);
    assertEquals(3, hits.size());
    assertTrue(hits.get(0).score() >= hits.get(1).score() && hits.get(1).score() >= hits.get(2).score());
    List<ScoredId> filtered = store.search(query, 3, Optional.of("webshop"));
    assertEquals(List.of("exp-3", "exp-2"), filtered.stream().map(ScoredId::id).toList());
    assertTrue(store.search(query, 3, Optional.of("alfworld")).isEmpty());
  }

  @Test
  void badVectorsAreRejectedAndNothingIsWritten() {
    ExperienceEntry good = entry("exp-1", "fine", List.of(), 1);
    float[] notUnit = new float[DIM];
    notUnit[0] = 2f;
    ExperienceEntry bad = new ExperienceEntry("exp-2", "t", "c", List.of(), notUnit, EntryStats.NEW,
        new Provenance(List.of(), "c", 0, 0), 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.upsert(List.of(good, bad)));
    assertTrue(e.getMessage().contains("exp-2"), e.getMessage());
    assertEquals(0, store.count());
    assertThrows(IllegalArgumentException.class, () -> store.search(new float[DIM + 1], 1, Optional.empty()));
  }

  @Test
  void clearEmptiesTheStore() {
    store.upsert(List.of(entry("exp-1", "one", List.of(), 1), entry("exp-2", "two", List.of(), 1)));
    store.clear();
    assertEquals(0, store.count());
    assertTrue(store.search(embedder.embed("one"), 5, Optional.empty()).isEmpty());
    store.upsert(List.of(entry("exp-3", "three", List.of(), 1)));
    assertEquals(1, store.count());
  }
}
