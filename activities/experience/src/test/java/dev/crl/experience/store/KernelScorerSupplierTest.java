package dev.crl.experience.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.util.hnsw.RandomVectorScorer;
import org.junit.jupiter.api.Test;

/** The graph builder's scores must be Lucene's DOT_PRODUCT scores, up to float rounding. */
class KernelScorerSupplierTest {

  @Test
  void scoresAreLuceneDotProductScores() throws Exception {
    Random random = new Random(5);
    OrdinalVectors vectors = new OrdinalVectors(384);
    for (int i = 0; i < 50; i++) {
      vectors.add(unitVector(random, 384));
    }
    // Opposite vectors: Lucene clips their score at 0, and so must the supplier.
    float[] opposite = vectors.vectorValue(0).clone();
    for (int d = 0; d < opposite.length; d++) {
      opposite[d] = -opposite[d];
    }
    int oppositeOrdinal = vectors.add(opposite);
    KernelScorerSupplier supplier = new KernelScorerSupplier(vectors);
    for (int a = 0; a < vectors.size(); a++) {
      RandomVectorScorer scorer = supplier.copy().scorer(a);
      assertEquals(vectors.size(), scorer.maxOrd());
      for (int b = 0; b < vectors.size(); b++) {
        float expected = VectorSimilarityFunction.DOT_PRODUCT.compare(vectors.vectorValue(a), vectors.vectorValue(b));
        assertEquals(expected, scorer.score(b), 1e-6, "pair " + a + ", " + b);
      }
    }
    assertEquals(0f, supplier.scorer(0).score(oppositeOrdinal), 1e-6);
  }

  private static float[] unitVector(Random random, int dimension) {
    float[] v = new float[dimension];
    double norm = 0;
    for (int d = 0; d < dimension; d++) {
      v[d] = (float) random.nextGaussian();
      norm += v[d] * v[d];
    }
    for (int d = 0; d < dimension; d++) {
      v[d] /= (float) Math.sqrt(norm);
    }
    return v;
  }
}
