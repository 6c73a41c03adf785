package dev.crl.experience.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.NeighborQueue;

/**
 * One HNSW graph over unit vectors, built node by node with Lucene's {@code util.hnsw} classes,
 * plus what a search needs beside the graph: the entry id and tags of every ordinal, the live
 * ordinals, and the live ordinals of each tag.
 *
 * <p>A graph cannot forget a node, so deleting an entry only clears its live bit: the node keeps
 * routing searches but is never returned. An upsert of a known id deletes its old ordinal and
 * adds a new one. {@link HnswExperienceStore} replaces the whole index with a fresh one when the
 * dead nodes pile up.
 *
 * <p>Vectors can also be added without linking them into the graph yet ({@code link = false}):
 * inserting a node into a graph of 20,000 costs 0.3–0.4 ms of CPU on an idle core here (about 0.8
 * ms with Lucene's own scorer, more under load), so a restore of 20,000 entries would hold the
 * store's write lock for seconds. Such pending vectors form a tail of ordinals that
 * searches score one by one, until the store swaps in a graph built from all of them.
 *
 * <p>Not thread-safe: one writer at a time and no reader during a write. Any number of
 * concurrent {@link #search} calls are safe, because Lucene's on-heap graph searcher reads
 * neighbour arrays without the graph's own seek state.
 */
final class HnswGraphIndex {

  /** Lucene's defaults: 16 neighbours per node (32 on the bottom layer) and a build beam of 100. */
  static final int MAX_CONNECTIONS = HnswGraphBuilder.DEFAULT_MAX_CONN;
  static final int BUILD_BEAM_WIDTH = HnswGraphBuilder.DEFAULT_BEAM_WIDTH;
  /** A fixed seed for the node levels, so the same vectors in the same order give the same graph. */
  private static final long LEVEL_SEED = 0x5eed_c0deL;
  /** Scratch space of graph searches, one per search thread. */
  private static final ThreadLocal<HnswBeamSearch> SEARCHERS = ThreadLocal.withInitial(HnswBeamSearch::new);

  private final OrdinalVectors vectors;
  private final HnswGraphBuilder builder;
  private final List<String> idAt = new ArrayList<>();
  private final List<List<String>> tagsAt = new ArrayList<>();
  /** For a rebuilt index: the ordinal each node had in the index it was rebuilt from. */
  private int[] sourceOrdinal = new int[1024];
  private final Map<String, Integer> ordinalOf = new HashMap<>();
  private final Map<String, FixedBitSet> liveByTag = new HashMap<>();
  /** Every bitset has this many bits, so any graph ordinal can be tested against any of them. */
  private int capacity = 1024;
  private FixedBitSet live = new FixedBitSet(capacity);
  private int deleted;
  /** Ordinals below this are linked into the graph; the rest are pending and scanned. */
  private int linked;

  HnswGraphIndex(int dimension) {
    this.vectors = new OrdinalVectors(dimension);
    try {
      this.builder = HnswGraphBuilder.create(
          new KernelScorerSupplier(vectors),
          MAX_CONNECTIONS, BUILD_BEAM_WIDTH, LEVEL_SEED);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create an in-memory HNSW graph", e);
    }
  }

  /**
   * Adds {@code vector} as a new node for entry {@code id}, deleting the entry's previous node if
   * it had one, and returns the new ordinal.
   *
   * @param source the ordinal of this vector in the index being rebuilt, or -1
   * @param link whether to link it into the graph now; a vector after a pending one stays pending
   */
  int add(String id, float[] vector, List<String> tags, int source, boolean link) {
    delete(id);
    int ordinal = vectors.add(vector);
    ensureCapacity(ordinal + 1);
    idAt.add(id);
    tagsAt.add(List.copyOf(tags));
    sourceOrdinal[ordinal] = source;
    if (link && linked == ordinal) {
      try {
        builder.addGraphNode(ordinal);
      } catch (IOException e) {
        throw new UncheckedIOException("in-memory HNSW insert failed", e);
      }
      linked++;
    }
    ordinalOf.put(id, ordinal);
    live.set(ordinal);
    for (String tag : tags) {
      liveByTag.computeIfAbsent(tag, t -> new FixedBitSet(capacity)).set(ordinal);
    }
    return ordinal;
  }

  private void ensureCapacity(int bits) {
    if (bits <= capacity) {
      return;
    }
    int grown = Math.max(bits, capacity * 2);
    live = copyWithLength(live, grown);
    liveByTag.replaceAll((tag, set) -> copyWithLength(set, grown));
    sourceOrdinal = Arrays.copyOf(sourceOrdinal, grown);
    capacity = grown;
  }

  private static FixedBitSet copyWithLength(FixedBitSet set, int bits) {
    FixedBitSet copy = new FixedBitSet(bits);
    copy.or(set);
    return copy;
  }

  /** Deletes the entry's live node; returns false when the entry is not in the index. */
  boolean delete(String id) {
    Integer ordinal = ordinalOf.remove(id);
    if (ordinal == null) {
      return false;
    }
    live.clear(ordinal);
    for (String tag : tagsAt.get(ordinal)) {
      liveByTag.get(tag).clear(ordinal);
    }
    deleted++;
    return true;
  }

  /** Number of graph nodes, live or deleted. */
  int nodes() {
    return vectors.size();
  }

  /** Number of vectors not linked into the graph yet. */
  int pendingNodes() {
    return vectors.size() - linked;
  }

  /** Number of deleted nodes still in the graph. */
  int deletedNodes() {
    return deleted;
  }

  int liveCount() {
    return ordinalOf.size();
  }

  boolean isLive(int ordinal) {
    return live.get(ordinal);
  }

  String idAt(int ordinal) {
    return idAt.get(ordinal);
  }

  float[] vectorAt(int ordinal) {
    return vectors.vectorValue(ordinal);
  }

  List<String> tagsAt(int ordinal) {
    return tagsAt.get(ordinal);
  }

  int sourceOrdinal(int ordinal) {
    return sourceOrdinal[ordinal];
  }

  /**
   * The {@code limit} live entries most similar to {@code query}, best first, with their exact
   * dot products. The graph is searched with a candidate list of {@code beam} nodes (at least
   * {@code limit}); a larger beam costs more and misses fewer true neighbours. When the tag
   * filter leaves few candidates ({@code exactBelow} or fewer), they are scored one by one
   * instead, which is both exact and cheaper than a graph walk that rejects most nodes it visits.
   * Pending vectors are always scored one by one.
   */
  List<ScoredId> search(float[] query, int limit, int beam, Optional<String> tag, int exactBelow) {
    FixedBitSet accepted = tag.isPresent() ? liveByTag.get(tag.get()) : live;
    if (accepted == null) {
      return List.of();
    }
    int candidates = tag.isPresent() ? accepted.cardinality() : liveCount();
    if (candidates == 0) {
      return List.of();
    }
    if (candidates <= exactBelow || linked == 0) {
      return scan(query, limit, accepted, 0);
    }
    List<ScoredId> fromGraph = searchGraph(query, limit, beam, accepted);
    if (linked == vectors.size()) {
      return fromGraph;
    }
    List<ScoredId> merged = new ArrayList<>(fromGraph);
    merged.addAll(scan(query, limit, accepted, linked));
    merged.sort((a, b) -> Float.compare(b.score(), a.score()));
    return List.copyOf(merged.subList(0, Math.min(limit, merged.size())));
  }

  private List<ScoredId> searchGraph(float[] query, int limit, int beam, FixedBitSet accepted) {
    NeighborQueue best = SEARCHERS.get().search(query, builder.getGraph(), vectors, Math.max(limit, beam), accepted);
    while (best.size() > limit) {
      best.pop();
    }
    ScoredId[] hits = new ScoredId[best.size()];
    for (int i = hits.length - 1; i >= 0; i--) {
      float score = best.topScore();
      hits[i] = new ScoredId(idAt.get(best.pop()), score);
    }
    return List.of(hits);
  }

  /** Exact top-{@code limit} over the ordinals from {@code from} on that are set in {@code accepted}. */
  private List<ScoredId> scan(float[] query, int limit, FixedBitSet accepted, int from) {
    PriorityQueue<ScoredId> heap = new PriorityQueue<>(limit + 1, (a, b) -> Float.compare(a.score(), b.score()));
    int end = accepted.length();
    for (int ordinal = from < end ? accepted.nextSetBit(from) : DocIdSetIterator.NO_MORE_DOCS; ordinal != DocIdSetIterator.NO_MORE_DOCS;
        ordinal = ordinal + 1 < end ? accepted.nextSetBit(ordinal + 1) : DocIdSetIterator.NO_MORE_DOCS) {
      float score = DotProductKernel.ACTIVE.dot(query, vectors.vectorValue(ordinal));
      if (heap.size() < limit || score > heap.peek().score()) {
        heap.add(new ScoredId(idAt.get(ordinal), score));
        if (heap.size() > limit) {
          heap.poll();
        }
      }
    }
    ScoredId[] ranked = new ScoredId[heap.size()];
    for (int i = ranked.length - 1; i >= 0; i--) {
      ranked[i] = heap.poll();
    }
    return List.of(ranked);
  }
}
