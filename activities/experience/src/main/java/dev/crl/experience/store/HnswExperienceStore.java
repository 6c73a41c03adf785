package dev.crl.experience.store;

import dev.crl.experience.ExperienceEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An in-process store that searches an HNSW graph held on the heap (built by Lucene's
 * {@code util.hnsw} graph builder without an index writer or segments, walked by
 * {@link HnswBeamSearch}): approximate nearest
 * neighbours at a cost that grows slowly with the bank. The queries of one batch run in parallel
 * on the caller and {@code helperThreads} helpers, under this store's read lock; writes take the
 * write lock and add one graph node per entry.
 *
 * <p>Deleted and replaced entries stay in the graph as dead nodes that route searches but are
 * never returned. Once they are a quarter of the graph a background thread builds a fresh graph
 * from the live vectors, catches up with the writes made meanwhile, and swaps it in under a short
 * write lock, so searches never wait for a rebuild. Large upserts (a restore) take the same path:
 * their vectors are stored at once but linked into a graph in the background, and until then
 * searches score them exactly, one by one (correct, only slower).
 *
 * <p>The graph is not persisted: the manager's snapshot carries entries and vectors, and a
 * restore rebuilds the graph from them (same vectors in the same order give the same graph).
 */
public final class HnswExperienceStore implements ExperienceStore {

  /**
   * Candidate-list size of a graph search. On the retrieval benchmark (20,000 × 384) a beam of 48
   * finds the exact best entry for 93% (hashing) to 98% (MiniLM) of queries and 86–94% of the
   * exact top 16, for about 1,300 vectors scored per query; 32 is a third cheaper and finds 89–94%
   * of the best entries. See docs/benchmarks.md.
   */
  public static final int DEFAULT_SEARCH_BEAM = 48;
  /**
   * Searches with at most this many candidates (a small bank, or a selective tag filter) score
   * them all: exact, and on this machine no slower than a graph walk.
   */
  public static final int DEFAULT_EXACT_SCAN_BELOW = 2_000;
  private static final double REBUILD_DEAD_SHARE = 0.25;
  private static final int REBUILD_MIN_DEAD = 64;
  /** The rebuild stops catching up outside the lock once this few writes are left to copy. */
  private static final int FINAL_CATCH_UP = 32;
  /** Upserts larger than this, or made while vectors are pending, leave linking to the background. */
  private static final int LINK_NOW_MAX_BATCH = 64;

  private final int dimension;
  private final int searchBeam;
  private final int exactScanBelow;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  /**
   * The current graph. Guarded by {@link #lock}; volatile only so that a rebuild can notice
   * without the lock that a {@link #clear} made its work pointless.
   */
  private volatile HnswGraphIndex index;
  /** Entry records by id, for {@link #get}. Guarded by {@link #lock}. */
  private final Map<String, ExperienceEntry> entries = new HashMap<>();
  private final QueryFanOut fanOut;
  private final ExecutorService rebuilder = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "hnsw-rebuild");
    t.setDaemon(true);
    return t;
  });
  /** The scheduled or running rebuild, if any. Guarded by {@link #lock}'s write lock. */
  private Future<?> rebuild;
  /** Set by {@link #close}, so that a running rebuild stops instead of using a core for nothing. */
  private volatile boolean closed;

  /** A store with the default search beam and scan threshold and one helper thread per further core. */
  public HnswExperienceStore(int dimension) {
    this(dimension, DEFAULT_SEARCH_BEAM, Math.max(0, Runtime.getRuntime().availableProcessors() - 1));
  }

  /** A store with the default scan threshold. */
  public HnswExperienceStore(int dimension, int searchBeam, int helperThreads) {
    this(dimension, searchBeam, helperThreads, DEFAULT_EXACT_SCAN_BELOW);
  }

  /**
   * An empty store for vectors of {@code dimension} coordinates.
   *
   * @param searchBeam candidate-list size of a graph search (larger: better recall, slower)
   * @param helperThreads threads that share a batch's queries with the caller
   * @param exactScanBelow searches with at most this many candidates score them all (0: always use the graph)
   */
  public HnswExperienceStore(int dimension, int searchBeam, int helperThreads, int exactScanBelow) {
    StoreVectors.requireDimension(dimension);
    if (searchBeam < 1) {
      throw new IllegalArgumentException("search beam must be positive, got " + searchBeam);
    }
    this.dimension = dimension;
    this.searchBeam = searchBeam;
    this.exactScanBelow = exactScanBelow;
    this.index = new HnswGraphIndex(dimension);
    this.fanOut = new QueryFanOut("hnsw-search", helperThreads);
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public void upsert(List<ExperienceEntry> batch) {
    for (ExperienceEntry entry : batch) {
      StoreVectors.requireUnitVector(entry.embedding(), dimension, entry.id());
    }
    lock.writeLock().lock();
    try {
      boolean link = batch.size() <= LINK_NOW_MAX_BATCH && index.pendingNodes() == 0;
      for (ExperienceEntry entry : batch) {
        index.add(entry.id(), entry.embedding(), entry.tags(), -1, link);
        entries.put(entry.id(), entry);
      }
      scheduleRebuildIfNeeded();
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void delete(Collection<String> ids) {
    lock.writeLock().lock();
    try {
      for (String id : ids) {
        if (index.delete(id)) {
          entries.remove(id);
        }
      }
      scheduleRebuildIfNeeded();
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
    for (float[] q : queries) {
      StoreVectors.requireQuery(q, dimension);
    }
    lock.readLock().lock();
    try {
      // The helpers read this graph while the caller holds the read lock for them.
      HnswGraphIndex graph = index;
      return fanOut.map(queries.size(),
          i -> graph.search(queries.get(i), limit, searchBeam, tags.get(i), exactScanBelow));
    } finally {
      lock.readLock().unlock();
    }
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
      // A running rebuild notices that the graph it copies from is gone and drops its work.
      index = new HnswGraphIndex(dimension);
      entries.clear();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Nodes in the current graph, dead ones included (for tests and diagnostics). */
  int graphNodes() {
    lock.readLock().lock();
    try {
      return index.nodes();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Waits until every stored vector is linked into the graph and no rebuild is running, so that
   * searches run at full speed (after a restore, for instance).
   *
   * @return false when {@code timeout} passed first
   */
  public boolean awaitGraphComplete(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (true) {
      Future<?> running;
      lock.readLock().lock();
      try {
        running = rebuild;
        if ((running == null || running.isDone()) && index.pendingNodes() == 0) {
          return true;
        }
      } finally {
        lock.readLock().unlock();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        if (running != null) {
          running.get(left, TimeUnit.NANOSECONDS);
        }
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
        throw new IllegalStateException("graph rebuild failed", e);
      } catch (java.util.concurrent.TimeoutException e) {
        return false;
      }
    }
  }

  /** Schedules a rebuild when vectors wait to be linked or dead nodes pile up. Caller holds the write lock. */
  private void scheduleRebuildIfNeeded() {
    if (rebuild != null && !rebuild.isDone()) {
      return;
    }
    int dead = index.deletedNodes();
    boolean deadPiledUp = dead >= REBUILD_MIN_DEAD && dead >= REBUILD_DEAD_SHARE * index.nodes();
    if (deadPiledUp || index.pendingNodes() > 0) {
      try {
        rebuild = rebuilder.submit(this::rebuildFromLiveNodes);
      } catch (java.util.concurrent.RejectedExecutionException afterClose) {
        // The store is closed; there is nothing left to search.
      }
    }
  }

  private record Node(int ordinal, String id, float[] vector, List<String> tags) {}

  /**
   * Builds a graph of the live nodes without holding the lock, copies the writes made meanwhile
   * in a few rounds, and swaps the new graph in under the write lock once only a handful remain.
   * Afterwards it checks whether another rebuild is due: writes made while this one ran could not
   * schedule one.
   */
  private void rebuildFromLiveNodes() {
    try {
      buildAndSwap();
    } finally {
      lock.writeLock().lock();
      try {
        rebuild = null;
        scheduleRebuildIfNeeded();
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  private void buildAndSwap() {
    HnswGraphIndex source;
    List<Node> nodes;
    int copied;
    lock.readLock().lock();
    try {
      source = index;
      copied = source.nodes();
      nodes = liveNodes(source, 0, copied);
    } finally {
      lock.readLock().unlock();
    }
    HnswGraphIndex fresh = new HnswGraphIndex(dimension);
    if (!addAll(fresh, nodes, source)) {
      return;
    }
    // Catch up outside the lock until only a few writes are left; they are copied under it.
    while (true) {
      lock.readLock().lock();
      try {
        if (index != source) {
          return;
        }
        if (source.nodes() - copied <= FINAL_CATCH_UP) {
          break;
        }
        nodes = liveNodes(source, copied, source.nodes());
        copied = source.nodes();
      } finally {
        lock.readLock().unlock();
      }
      if (!addAll(fresh, nodes, source)) {
        return;
      }
    }
    lock.writeLock().lock();
    try {
      if (index != source) {
        return;
      }
      if (!addAll(fresh, liveNodes(source, copied, source.nodes()), source)) {
        return;
      }
      // Entries deleted or replaced after they were copied are dead in the source by now.
      for (int ordinal = 0; ordinal < fresh.nodes(); ordinal++) {
        if (fresh.isLive(ordinal) && !source.isLive(fresh.sourceOrdinal(ordinal))) {
          fresh.delete(fresh.idAt(ordinal));
        }
      }
      index = fresh;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The live nodes of {@code source} in [from, to). Caller holds the lock. */
  private static List<Node> liveNodes(HnswGraphIndex source, int from, int to) {
    List<Node> out = new ArrayList<>(Math.max(0, to - from));
    for (int ordinal = from; ordinal < to; ordinal++) {
      if (source.isLive(ordinal)) {
        out.add(new Node(ordinal, source.idAt(ordinal), source.vectorAt(ordinal), source.tagsAt(ordinal)));
      }
    }
    return out;
  }

  /**
   * Links {@code nodes} into {@code target}; stops early, returning false, once {@code source} was
   * replaced or the store closed.
   */
  private boolean addAll(HnswGraphIndex target, List<Node> nodes, HnswGraphIndex source) {
    for (int i = 0; i < nodes.size(); i++) {
      if (i % 256 == 0 && (index != source || closed)) {
        return false;
      }
      Node n = nodes.get(i);
      target.add(n.id(), n.vector(), n.tags(), n.ordinal(), true);
    }
    return true;
  }

  @Override
  public void close() {
    closed = true;
    rebuilder.shutdownNow();
    fanOut.close();
  }
}
