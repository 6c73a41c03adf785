package dev.crl.experience.store;

import dev.crl.experience.ExperienceEntry;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where entries and their vectors live and are searched. The experience manager serialises
 * writes and keeps the authoritative copy of every entry; a store only has to be a faithful
 * index of what it was given. Three implementations share one contract test: the in-process
 * {@link HnswExperienceStore} (approximate, what runs use by default) and
 * {@link ExactExperienceStore} (an int8 scan of every entry, exact scores), and
 * {@link QdrantExperienceStore}.
 */
public interface ExperienceStore extends AutoCloseable {

  /** Length of the vectors the store accepts. */
  int dimension();

  /**
   * Inserts or replaces entries by id. Vectors must have {@link #dimension()} coordinates and
   * unit length; otherwise nothing is written and an {@link IllegalArgumentException} says why.
   */
  void upsert(List<ExperienceEntry> entries);

  /** Removes entries by id; unknown ids are ignored. */
  void delete(Collection<String> ids);

  /** The entry with {@code id}, as last upserted. */
  Optional<ExperienceEntry> get(String id);

  /**
   * The {@code limit} entries most similar to {@code query}, best first. When {@code tag} is
   * present only entries carrying that tag are candidates.
   */
  List<ScoredId> search(float[] query, int limit, Optional<String> tag);

  /**
   * Searches several queries at once (one retrieval micro-batch); {@code tags.get(i)} filters
   * query i. The default runs the queries one by one; stores that can share work override it.
   */
  default List<List<ScoredId>> searchBatch(List<float[]> queries, int limit, List<Optional<String>> tags) {
    checkBatch(queries, limit, tags);
    List<List<ScoredId>> out = new java.util.ArrayList<>(queries.size());
    for (int i = 0; i < queries.size(); i++) {
      out.add(search(queries.get(i), limit, tags.get(i)));
    }
    return out;
  }

  /** Rejects a batch without one tag filter per query, or with a limit below one. */
  static void checkBatch(List<float[]> queries, int limit, List<Optional<String>> tags) {
    if (queries.size() != tags.size()) {
      throw new IllegalArgumentException("one tag filter per query is required");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
  }

  /** Number of entries stored. */
  long count();

  /** Removes every entry. */
  void clear();

  @Override
  void close();
}
