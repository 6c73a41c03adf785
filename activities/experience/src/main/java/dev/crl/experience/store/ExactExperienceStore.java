package dev.crl.experience.store;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.crl.experience.ExperienceEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The exact in-process store ({@code vector_store.kind: exact}; the bank CLI uses it too). A
 * batch of queries is answered in two steps:
 *
 * <ol>
 *   <li>a scan of every row's int8 codes ({@link Int8Rows}) picks each query's best
 *       {@code limit + 16} candidates; on machines with enough cores the rows are split into
 *       parts scanned in parallel on the caller and helper threads;
 *   <li>the candidates are ranked again in Java with the exact float32 vectors, and the best
 *       {@code limit} are returned with their exact cosine similarity.
 * </ol>
 *
 * <p>The codes only have to place the true best entries among the candidates; the scores returned
 * are exact. On the retrieval benchmark (20,000 × 384) 99.9% (hashing embedder) to 100% (MiniLM)
 * of the exact top 16 were among the 32 int8 candidates, and the best entry always was. A search
 * reads the whole bank, so its cost grows with the bank: at the default cap of 20,000 entries
 * the benchmark's process spent about 3.8 ms of CPU per batch of 16 with this store, on one
 * thread, against 3.3–4.3 ms with {@link HnswExperienceStore} spread over two threads. The graph
 * store has the shorter tail on two cores and is what runs use by default (docs/benchmarks.md).
 *
 * <p>Rows are kept dense: deleting an entry moves the last row into its place. Entry records are
 * kept alongside for {@link #get}; the manager's snapshot, not the int8 codes, is what gets
 * persisted, and a restore writes the codes again from the exact vectors.
 */
public final class ExactExperienceStore implements ExperienceStore {

  private static final int INITIAL_ROWS = 1024;
  /**
   * Candidates beyond {@code limit} that the int8 scan passes on for exact ranking. With 16 more
   * than the 16 results the manager asks for, the exact top 16 were among the candidates for
   * 99.99% of entries in a Python probe on random and on clustered 384-dimensional unit vectors.
   * Each candidate costs about 0.9 µs here: its entry record and then its vector are looked up,
   * and neither is usually in cache.
   */
  private static final int EXTRA_CANDIDATES = 16;
  /**
   * Parts smaller than this are not worth a helper thread: handing a part over and collecting it
   * costs about as much as scanning a few thousand rows.
   */
  public static final int DEFAULT_MIN_ROWS_PER_PART = 4096;

  private final int dimension;
  private final int minRowsPerPart;
  private final int parallelParts;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Int8Rows codes;
  private final TagMasks tagMasks = new TagMasks();
  private final QueryFanOut fanOut;
  /** Entries by row; rows 0..size-1 are all in use. Guarded by {@link #lock}. */
  private final List<ExperienceEntry> entryAt = new ArrayList<>();
  private final Map<String, Integer> rowOf = new HashMap<>();

  /** A store with {@link #defaultHelperThreads()} helper threads. */
  public ExactExperienceStore(int dimension) {
    this(dimension, defaultHelperThreads(), DEFAULT_MIN_ROWS_PER_PART);
  }

  /**
   * One helper per four cores, at most three. The scan is bound by memory bandwidth, so a second
   * thread on a two-core machine barely shortens it: on this machine two parts took the median
   * batch from 3.0 to 2.5 ms but used 1.5 ms more CPU per batch and raised the 99th percentile
   * from 5.0 to 8.0 ms, because a part waits whenever another thread (rollouts, the writer, the
   * collector) holds the other core.
   */
  public static int defaultHelperThreads() {
    return Math.min(3, Runtime.getRuntime().availableProcessors() / 4);
  }

  /**
   * An empty store for vectors of {@code dimension} coordinates.
   *
   * @param helperThreads threads that scan parts of the bank beside the caller (the bank is
   *     split into up to {@code 1 + helperThreads} parts). When PyTorch already runs several
   *     intra-op threads per operation the caller scans every part itself and PyTorch
   *     parallelises each; helpers as well would put two threads on each core.
   * @param minRowsPerPart the bank is split only into parts of at least this many rows
   */
  public ExactExperienceStore(int dimension, int helperThreads, int minRowsPerPart) {
    StoreVectors.requireDimension(dimension);
    if (helperThreads < 0 || minRowsPerPart < 1) {
      throw new IllegalArgumentException("helper threads must be >= 0 and rows per part >= 1, got "
          + helperThreads + " and " + minRowsPerPart);
    }
    this.dimension = dimension;
    this.minRowsPerPart = minRowsPerPart;
    this.codes = new Int8Rows(dimension, INITIAL_ROWS);
    this.parallelParts = 1 + helperThreads;
    // The parts are still scanned (one after the other) when PyTorch parallelises each of them.
    this.fanOut = new QueryFanOut("bank-scan", JniUtils.getNumThreads() > 1 ? 0 : helperThreads);
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
      for (ExperienceEntry entry : batch) {
        Integer row = rowOf.get(entry.id());
        if (row == null) {
          row = entryAt.size();
          if (codes.ensureCapacity(row + 1)) {
            tagMasks.clear();
          }
          entryAt.add(entry);
          rowOf.put(entry.id(), row);
        } else {
          entryAt.set(row, entry);
        }
        writeRow(row, entry);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void writeRow(int row, ExperienceEntry entry) {
    codes.write(row, entry.embedding());
    tagMasks.rowChanged(row, entry.tags());
  }

  @Override
  public void delete(Collection<String> ids) {
    lock.writeLock().lock();
    try {
      for (String id : ids) {
        Integer row = rowOf.remove(id);
        if (row == null) {
          continue;
        }
        int last = entryAt.size() - 1;
        ExperienceEntry moved = entryAt.remove(last);
        if (row != last) {
          entryAt.set(row, moved);
          rowOf.put(moved.id(), row);
          writeRow(row, moved);
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
      Integer row = rowOf.get(id);
      return row == null ? Optional.empty() : Optional.of(entryAt.get(row));
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
    int batch = queries.size();
    float[] flat = new float[batch * dimension];
    for (int q = 0; q < batch; q++) {
      float[] v = queries.get(q);
      StoreVectors.requireQuery(v, dimension);
      System.arraycopy(v, 0, flat, q * dimension, dimension);
    }
    if (batch == 0) {
      return List.of();
    }
    lock.readLock().lock();
    try {
      int rows = entryAt.size();
      if (rows == 0) {
        return emptyResults(batch);
      }
      int k = (int) Math.min(rows, (long) limit + EXTRA_CANDIDATES);
      int parts = Math.max(1, Math.min(parallelParts, rows / minRowsPerPart));
      List<Int8Rows.Candidates> found;
      try (NDManager searchScope = codes.manager().newSubManager()) {
        List<NDArray> masks = new ArrayList<>();
        long[] maskOfQuery = masksFor(tags, rows, masks, searchScope);
        found = fanOut.map(parts, p -> codes.scan(
            flat, batch, (int) ((long) rows * p / parts), (int) ((long) rows * (p + 1) / parts),
            k, masks, maskOfQuery));
      }
      List<List<ScoredId>> out = new ArrayList<>(batch);
      GroupedDotProducts dotProducts = new GroupedDotProducts();
      for (int q = 0; q < batch; q++) {
        out.add(rescore(queries.get(q), q, found, limit, dotProducts));
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  private static List<List<ScoredId>> emptyResults(int batch) {
    List<List<ScoredId>> out = new ArrayList<>(batch);
    for (int q = 0; q < batch; q++) {
      out.add(List.of());
    }
    return out;
  }

  /**
   * Fills {@code masks} for the batch's tag filters (empty when no query filters) and returns
   * which mask each query adds.
   */
  private long[] masksFor(List<Optional<String>> tags, int rows, List<NDArray> masks, NDManager searchScope) {
    long[] maskOfQuery = new long[tags.size()];
    if (tags.stream().noneMatch(Optional::isPresent)) {
      return maskOfQuery;
    }
    masks.add(tagMasks.unfiltered(codes.manager(), codes.capacity()));
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int q = 0; q < tags.size(); q++) {
      Optional<String> tag = tags.get(q);
      if (tag.isPresent()) {
        maskOfQuery[q] = index.computeIfAbsent(tag.get(), t -> {
          masks.add(tagMasks.mask(t, codes.manager(), searchScope, codes.capacity(), rows,
              r -> entryAt.get(r).tags()));
          return masks.size() - 1;
        });
      }
    }
    return maskOfQuery;
  }

  /** Query {@code q}'s candidates from every part, ranked by exact similarity; best first. */
  private List<ScoredId> rescore(float[] query, int q, List<Int8Rows.Candidates> found, int limit,
      GroupedDotProducts dotProducts) {
    int total = 0;
    for (Int8Rows.Candidates c : found) {
      total += c.rows()[q].length;
    }
    ExperienceEntry[] candidates = new ExperienceEntry[total];
    float[][] vectors = new float[total][];
    int n = 0;
    for (Int8Rows.Candidates c : found) {
      int[] rows = c.rows()[q];
      float[] approximate = c.scores()[q];
      for (int j = 0; j < rows.length; j++) {
        // A masked row (another tag) scores negative infinity and is never a result. So does the
        // scan's padding when a filter leaves fewer rows than candidates; its row numbers may lie
        // beyond the bank, so they are dropped before any lookup.
        if (approximate[j] != Float.NEGATIVE_INFINITY) {
          ExperienceEntry entry = entryAt.get(rows[j]);
          candidates[n] = entry;
          vectors[n] = entry.embedding();
          n++;
        }
      }
    }
    float[] exact = new float[n];
    dotProducts.score(query, vectors, n, exact);
    ScoredRow[] ranked = new ScoredRow[n];
    for (int i = 0; i < n; i++) {
      ranked[i] = new ScoredRow(candidates[i].id(), exact[i]);
    }
    Arrays.sort(ranked);
    List<ScoredId> best = new ArrayList<>(Math.min(limit, n));
    for (int i = 0; i < Math.min(limit, n); i++) {
      best.add(new ScoredId(ranked[i].id, ranked[i].score));
    }
    return best;
  }

  /** Best first; equal scores in id order, so that results do not depend on row positions. */
  private record ScoredRow(String id, float score) implements Comparable<ScoredRow> {
    @Override
    public int compareTo(ScoredRow o) {
      int c = Float.compare(o.score, score);
      return c != 0 ? c : id.compareTo(o.id);
    }
  }

  @Override
  public long count() {
    lock.readLock().lock();
    try {
      return entryAt.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void clear() {
    lock.writeLock().lock();
    try {
      entryAt.clear();
      rowOf.clear();
      tagMasks.clear();
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      fanOut.close();
      tagMasks.clear();
      codes.close();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
