package dev.crl.experience.store;

import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.apache.lucene.util.hnsw.RandomVectorScorerSupplier;

/**
 * Scores pairs of graph nodes for Lucene's {@code HnswGraphBuilder} with the process's {@link
 * DotProductKernel}. Lucene 9's own scorer uses plain loops on Java 17, and linking a node scores
 * a few thousand pairs under the store's write lock, so this shortens the time writes block
 * searches. Scores are Lucene's for {@link VectorSimilarityFunction#DOT_PRODUCT}, {@code max(0, (1
 * + a·b) / 2)}, so the builder's neighbour selection sees the same values up to float rounding.
 */
final class KernelScorerSupplier implements RandomVectorScorerSupplier {

  private static final DotProductKernel KERNEL = DotProductKernel.ACTIVE;

  private final OrdinalVectors vectors;

  KernelScorerSupplier(OrdinalVectors vectors) {
    this.vectors = vectors;
  }

  @Override
  public RandomVectorScorer scorer(int ordinal) {
    float[] query = vectors.vectorValue(ordinal);
    return new RandomVectorScorer.AbstractRandomVectorScorer(vectors) {
      @Override
      public float score(int node) {
        return Math.max((1 + KERNEL.dot(query, vectors.vectorValue(node))) / 2, 0);
      }
    };
  }

  /** Holds no state besides the shared, append-only vectors, so one instance serves every caller. */
  @Override
  public RandomVectorScorerSupplier copy() {
    return this;
  }
}
