package dev.crl.experience.store;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * Per-tag row masks for {@link Int8Rows} scans: 0 where a row carries the tag, negative infinity
 * where it does not, so adding a mask to the scores leaves only the tag's rows as candidates. A
 * mask is built from the rows on its tag's first search and then kept current by the store's
 * writes, so a search with a filter costs one addition per row, not a pass over every entry's
 * tags. Up to 64 tags are cached this way; searches by further tags build a mask each time.
 *
 * <p>Searches (under the store's read lock) may build masks concurrently; writes (under its write
 * lock) update and drop them, so no search ever holds a mask that a write closes.
 */
final class TagMasks {

  /**
   * At most this many masks are cached (128 KB each at a capacity of 32,768 rows); a search that
   * filters by yet another tag gets a mask of its own that lives only as long as the search.
   */
  private static final int MAX_CACHED = 64;

  private final Map<String, NDArray> masks = new ConcurrentHashMap<>();
  private volatile NDArray unfiltered;

  /** The all-zero mask that queries without a filter add when others in their batch filter. */
  NDArray unfiltered(NDManager owner, int capacity) {
    NDArray zeros = unfiltered;
    if (zeros == null) {
      synchronized (this) {
        zeros = unfiltered;
        if (zeros == null) {
          zeros = owner.zeros(new Shape(capacity));
          unfiltered = zeros;
        }
      }
    }
    return zeros;
  }

  /**
   * The mask of {@code tag} over {@code capacity} rows, of which rows {@code 0..rows-1} are in use
   * and {@code tagsOfRow} gives their tags. A cached mask belongs to {@code owner}; when the cache
   * is full a new one belongs to {@code searchScope}, which the caller closes after the search.
   */
  NDArray mask(String tag, NDManager owner, NDManager searchScope, int capacity, int rows,
      IntFunction<List<String>> tagsOfRow) {
    NDArray cached = masks.get(tag);
    if (cached != null) {
      return cached;
    }
    if (masks.size() >= MAX_CACHED) {
      return build(tag, searchScope, capacity, rows, tagsOfRow);
    }
    return masks.computeIfAbsent(tag, t -> build(t, owner, capacity, rows, tagsOfRow));
  }

  private static NDArray build(String tag, NDManager owner, int capacity, int rows,
      IntFunction<List<String>> tagsOfRow) {
    float[] values = new float[capacity];
    Arrays.fill(values, Float.NEGATIVE_INFINITY);
    for (int row = 0; row < rows; row++) {
      if (tagsOfRow.apply(row).contains(tag)) {
        values[row] = 0f;
      }
    }
    return owner.create(values);
  }

  /** Row {@code row} now holds an entry with {@code tags}; called under the store's write lock. */
  void rowChanged(int row, List<String> tags) {
    for (Map.Entry<String, NDArray> e : masks.entrySet()) {
      e.getValue().set(new NDIndex(row), tags.contains(e.getKey()) ? 0f : Float.NEGATIVE_INFINITY);
    }
  }

  /** Drops every mask (the capacity changed, or the store was cleared); under the write lock. */
  void clear() {
    masks.values().forEach(NDArray::close);
    masks.clear();
    NDArray zeros = unfiltered;
    unfiltered = null;
    if (zeros != null) {
      zeros.close();
    }
  }
}
