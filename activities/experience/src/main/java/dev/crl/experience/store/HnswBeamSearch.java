package dev.crl.experience.store;

import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.hnsw.NeighborArray;
import org.apache.lucene.util.hnsw.NeighborQueue;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;

/**
 * Searches an on-heap HNSW graph the way Lucene's {@code HnswGraphSearcher} does (greedy descent
 * through the upper layers, then a beam search on the bottom layer that collects only accepted
 * nodes), but scores a node's unvisited neighbours eight at a time.
 *
 * <p>Why not Lucene's searcher: it scores one neighbour per call, and with a bank about as large
 * as this machine's L3 cache one dot product at a time waits for one vector's cache misses at a
 * time; {@link GroupedDotProducts} explains the gain. Scores are plain dot products of unit vectors
 * (cosine similarity).
 *
 * <p>Instances hold per-search scratch space: one per thread, never shared.
 */
final class HnswBeamSearch {

  private final GroupedDotProducts dotProducts = new GroupedDotProducts();
  private int[] unvisited = new int[64];
  private float[][] unvisitedVectors = new float[64][];
  private float[] scores = new float[64];
  private NeighborQueue results;
  private NeighborQueue candidates;
  private int resultBeam = -1;
  private FixedBitSet visited = new FixedBitSet(1024);

  /**
   * The best {@code beam} accepted nodes for {@code query} as a min-queue (worst on top), with
   * their dot products. The queue belongs to this instance and is reused by its next search, so
   * the caller reads it out first. (Reusing the two queues keeps a search from allocating, which
   * keeps collector pauses out of the latency tail.)
   *
   * @param vectors vector of every graph ordinal
   * @param accepted the nodes that may be returned (all nodes route the search)
   */
  NeighborQueue search(float[] query, OnHeapHnswGraph graph, OrdinalVectors vectors, int beam, Bits accepted) {
    int size = graph.size();
    if (beam != resultBeam) {
      results = new NeighborQueue(beam, false);
      candidates = new NeighborQueue(beam * 4, true);
      resultBeam = beam;
    }
    results.clear();
    candidates.clear();
    if (size == 0) {
      return results;
    }
    prepareVisited(vectors.size());
    int entry = graph.entryNode();
    float entryScore = DotProductKernel.ACTIVE.dot(query, vectors.vectorValue(entry));
    // Upper layers: move to the best neighbour until none is better (a beam of one).
    for (int level = graph.numLevels() - 1; level >= 1; level--) {
      boolean moved = true;
      while (moved) {
        moved = false;
        int count = collectUnvisitedNeighbours(graph.getNeighbors(level, entry));
        scoreEach(query, vectors, count);
        for (int i = 0; i < count; i++) {
          if (scores[i] > entryScore) {
            entryScore = scores[i];
            entry = unvisited[i];
            moved = true;
          }
        }
      }
      visited.clear();
    }
    bottomLayer(query, graph, vectors, beam, accepted, entry, entryScore);
    return results;
  }

  private void bottomLayer(float[] query, OnHeapHnswGraph graph, OrdinalVectors vectors, int beam, Bits accepted,
      int entry, float entryScore) {
    visited.set(entry);
    candidates.add(entry, entryScore);
    if (accepted == null || accepted.get(entry)) {
      results.add(entry, entryScore);
    }
    float floor = results.size() >= beam ? results.topScore() : Float.NEGATIVE_INFINITY;
    while (candidates.size() > 0) {
      float best = candidates.topScore();
      if (best < floor) {
        break;
      }
      int node = candidates.pop();
      int count = collectUnvisitedNeighbours(graph.getNeighbors(0, node));
      scoreEach(query, vectors, count);
      for (int i = 0; i < count; i++) {
        float score = scores[i];
        if (score < floor) {
          continue;
        }
        candidates.add(unvisited[i], score);
        if (accepted == null || accepted.get(unvisited[i])) {
          results.insertWithOverflow(unvisited[i], score);
          if (results.size() >= beam) {
            floor = results.topScore();
          }
        }
      }
    }
  }

  /** Copies the not yet visited neighbours into {@link #unvisited} and marks them visited. */
  private int collectUnvisitedNeighbours(NeighborArray neighbours) {
    int[] nodes = neighbours.nodes();
    int n = neighbours.size();
    if (unvisited.length < n) {
      unvisited = new int[n];
      unvisitedVectors = new float[n][];
      scores = new float[n];
    }
    int count = 0;
    for (int i = 0; i < n; i++) {
      int node = nodes[i];
      if (!visited.getAndSet(node)) {
        unvisited[count++] = node;
      }
    }
    return count;
  }

  /** Scores {@code unvisited[0..count)} into {@code scores}, eight vectors per pass. */
  private void scoreEach(float[] query, OrdinalVectors vectors, int count) {
    for (int i = 0; i < count; i++) {
      unvisitedVectors[i] = vectors.vectorValue(unvisited[i]);
    }
    dotProducts.score(query, unvisitedVectors, count, scores);
  }

  private void prepareVisited(int nodes) {
    if (visited.length() < nodes) {
      visited = new FixedBitSet(Math.max(nodes, visited.length() * 2));
    } else {
      visited.clear();
    }
  }
}
