package dev.crl.experience.store;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.crl.experience.ExperienceEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The exact in-process store. All vectors sit in one row-major matrix held by libtorch (through
 * DJL), and a batch of queries is answered by a single matrix product followed by a top-k
 * selection. Every batch reads the whole matrix (30 MB at 20,000 × 384), which on this machine
 * costs 20–40 ms of CPU per batch of 16; {@link HnswExperienceStore} reads a few percent of it
 * and is what runs use. This store remains the exact reference (benchmark recall, the bank CLI).
 *
 * <p>Rows are slots: a deleted entry's slot is reused by the next insert. Entry records are kept
 * alongside for {@link #get}; the manager's snapshot, not this matrix, is what gets persisted.
 */
public final class EmbeddedExperienceStore implements ExperienceStore {

  private static final double UNIT_TOLERANCE = 1e-3;
  private static final int INITIAL_ROWS = 1024;

  private final int dimension;
  private final NDManager manager = NDManager.newBaseManager();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private NDArray matrix;
  private int rows;
  /** One past the highest slot ever used; searches only look at rows below it. */
  private int highWater;
  private final Map<String, Integer> slotOf = new HashMap<>();
  private final List<String> idAt = new ArrayList<>();
  private final List<List<String>> tagsAt = new ArrayList<>();
  private final Map<String, ExperienceEntry> entries = new HashMap<>();
  private final BitSet live = new BitSet();
  private final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();

  /** An empty store for vectors of {@code dimension} coordinates. */
  public EmbeddedExperienceStore(int dimension) {
    if (dimension < 1 || dimension > 4096) {
      throw new IllegalArgumentException("dimension must be in 1..4096, got " + dimension);
    }
    this.dimension = dimension;
    this.rows = INITIAL_ROWS;
    this.matrix = manager.zeros(new Shape(rows, dimension), DataType.FLOAT32);
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public void upsert(List<ExperienceEntry> batch) {
    for (ExperienceEntry entry : batch) {
      StoreVectors.requireUnitVector(entry.embedding(), dimension, UNIT_TOLERANCE, entry.id());
    }
    lock.writeLock().lock();
    try {
      for (ExperienceEntry entry : batch) {
        Integer slot = slotOf.get(entry.id());
        if (slot == null) {
          slot = allocate();
          slotOf.put(entry.id(), slot);
          idAt.set(slot, entry.id());
          live.set(slot);
        }
        try (NDManager scope = manager.newSubManager()) {
          matrix.set(new NDIndex(slot), scope.create(entry.embedding()));
        }
        tagsAt.set(slot, entry.tags());
        entries.put(entry.id(), entry);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private int allocate() {
    Integer free = freeSlots.pollFirst();
    if (free != null) {
      return free;
    }
    if (highWater == rows) {
      // Grow by doubling; the copy is rare and happens under the write lock.
      NDArray grown = manager.zeros(new Shape(rows * 2L, dimension), DataType.FLOAT32);
      grown.set(new NDIndex("0:" + rows), matrix);
      matrix.close();
      matrix = grown;
      rows *= 2;
    }
    idAt.add(null);
    tagsAt.add(List.of());
    return highWater++;
  }

  @Override
  public void delete(Collection<String> ids) {
    lock.writeLock().lock();
    try {
      for (String id : ids) {
        Integer slot = slotOf.remove(id);
        if (slot != null) {
          live.clear(slot);
          idAt.set(slot, null);
          tagsAt.set(slot, List.of());
          entries.remove(id);
          freeSlots.addLast(slot);
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public Optional<ExperienceEntry> get(String id) {
    lock.readLock().lock();
    try {
      return Optional.ofNullable(entries.get(id));
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public List<ScoredId> search(float[] query, int limit, Optional<String> tag) {
    return searchBatch(List.of(query), limit, List.of(tag)).get(0);
  }

  @Override
  public List<List<ScoredId>> searchBatch(List<float[]> queries, int limit, List<Optional<String>> tags) {
    ExperienceStore.checkBatch(queries, limit, tags);
    float[] flat = new float[queries.size() * dimension];
    for (int q = 0; q < queries.size(); q++) {
      float[] v = queries.get(q);
      if (v.length != dimension) {
        throw new IllegalArgumentException(
            "query vector has " + v.length + " coordinates, the store holds " + dimension);
      }
      System.arraycopy(v, 0, flat, q * dimension, dimension);
    }
    lock.readLock().lock();
    try {
      List<List<ScoredId>> out = new ArrayList<>(queries.size());
      if (highWater == 0 || live.isEmpty()) {
        for (int q = 0; q < queries.size(); q++) {
          out.add(List.of());
        }
        return out;
      }
      int n = highWater;
      float[] scores;
      try (NDManager scope = manager.newSubManager()) {
        NDArray q = scope.create(flat, new Shape(queries.size(), dimension));
        scores = q.matMul(matrix.get(new NDIndex("0:" + n)).transpose()).toFloatArray();
      }
      for (int qi = 0; qi < queries.size(); qi++) {
        out.add(topK(scores, qi * n, n, limit, tags.get(qi)));
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  private List<ScoredId> topK(float[] scores, int offset, int n, int limit, Optional<String> tag) {
    PriorityQueue<Integer> heap = new PriorityQueue<>(limit + 1,
        (a, b) -> Float.compare(scores[offset + a], scores[offset + b]));
    // Once the heap is full, most rows lose to its minimum on one float comparison.
    float threshold = Float.NEGATIVE_INFINITY;
    for (int slot = live.nextSetBit(0); slot >= 0 && slot < n; slot = live.nextSetBit(slot + 1)) {
      float score = scores[offset + slot];
      if (heap.size() == limit && score <= threshold) {
        continue;
      }
      if (tag.isPresent() && !tagsAt.get(slot).contains(tag.get())) {
        continue;
      }
      heap.add(slot);
      if (heap.size() > limit) {
        heap.poll();
      }
      if (heap.size() == limit) {
        threshold = scores[offset + heap.peek()];
      }
    }
    ScoredId[] ranked = new ScoredId[heap.size()];
    for (int i = ranked.length - 1; i >= 0; i--) {
      int slot = heap.poll();
      ranked[i] = new ScoredId(idAt.get(slot), scores[offset + slot]);
    }
    return List.of(ranked);
  }

  @Override
  public long count() {
    lock.readLock().lock();
    try {
      return entries.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void clear() {
    lock.writeLock().lock();
    try {
      slotOf.clear();
      idAt.clear();
      tagsAt.clear();
      entries.clear();
      live.clear();
      freeSlots.clear();
      highWater = 0;
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      manager.close();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
