package dev.crl.experience.store;

import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.hnsw.NeighborArray;
import org.apache.lucene.util.hnsw.NeighborQueue;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;

/**
 * Searches an on-heap HNSW graph the way Lucene's {@code HnswGraphSearcher} does (greedy descent
 * through the upper layers, then a beam search on the bottom layer that collects only accepted
 * nodes), but scores a node's unvisited neighbours eight at a time.
 *
 * <p>Why not Lucene's searcher: it scores one neighbour per call. With 20,000 vectors of 384
 * floats the bank is about as large as this machine's L3 cache, so almost every vector a search
 * touches comes from memory, and one dot product at a time waits for one vector's cache misses
 * at a time (about 0.5–0.65 µs against 0.12 µs when the vector is cached). Reading eight vectors
 * in one loop lets the processor fetch them in parallel; on this machine that scored a random
 * vector in about 0.2 µs. Scores are plain dot products of unit vectors (cosine similarity).
 *
 * <p>Instances hold per-search scratch space: one per thread, never shared.
 */
final class HnswBeamSearch {

  private static final int GROUP = 8;

  private final float[][] group = new float[GROUP][];
  private final float[] groupScores = new float[GROUP];
  private int[] unvisited = new int[64];
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
    float entryScore = VectorUtil.dotProduct(query, vectors.vectorValue(entry));
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

  /**
   * Scores {@code unvisited[0..count)} into {@code scores}, eight vectors per pass. A last group of
   * two to seven is padded with repeats of its own last vector: a repeat is already in cache, so
   * it costs far less than waiting for the others' memory one vector at a time.
   */
  private void scoreEach(float[] query, OrdinalVectors vectors, int count) {
    int i = 0;
    for (; i + 1 < count; i += GROUP) {
      int real = Math.min(GROUP, count - i);
      for (int k = 0; k < GROUP; k++) {
        group[k] = vectors.vectorValue(unvisited[i + Math.min(k, real - 1)]);
      }
      dot8(query, group, groupScores);
      System.arraycopy(groupScores, 0, scores, i, real);
    }
    if (i < count) {
      scores[i] = VectorUtil.dotProduct(query, vectors.vectorValue(unvisited[i]));
    }
  }

  private void prepareVisited(int nodes) {
    if (visited.length() < nodes) {
      visited = new FixedBitSet(Math.max(nodes, visited.length() * 2));
    } else {
      visited.clear();
    }
  }

  /** Eight dot products with one query in a single pass, so the eight vectors load in parallel. */
  private static void dot8(float[] q, float[][] v, float[] out) {
    float[] a = v[0];
    float[] b = v[1];
    float[] c = v[2];
    float[] d = v[3];
    float[] e = v[4];
    float[] f = v[5];
    float[] g = v[6];
    float[] h = v[7];
    float sa = 0;
    float sb = 0;
    float sc = 0;
    float sd = 0;
    float se = 0;
    float sf = 0;
    float sg = 0;
    float sh = 0;
    for (int i = 0; i < q.length; i++) {
      float x = q[i];
      sa += x * a[i];
      sb += x * b[i];
      sc += x * c[i];
      sd += x * d[i];
      se += x * e[i];
      sf += x * f[i];
      sg += x * g[i];
      sh += x * h[i];
    }
    out[0] = sa;
    out[1] = sb;
    out[2] = sc;
    out[3] = sd;
    out[4] = se;
    out[5] = sf;
    out[6] = sg;
    out[7] = sh;
  }
}
