package dev.crl.experience.store;

import java.util.Arrays;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;

/**
 * The vectors of one HNSW graph, addressed by graph ordinal, in memory. Ordinals are only ever
 * appended, and a vector is never changed once added (an updated entry gets a new ordinal), so
 * Lucene's scorers can hold on to the arrays this returns.
 *
 * <p>Not thread-safe: {@link HnswGraphIndex} serialises appends against reads.
 */
final class OrdinalVectors implements RandomAccessVectorValues.Floats {

  private final int dimension;
  private float[][] vectors = new float[1024][];
  private int size;

  OrdinalVectors(int dimension) {
    this.dimension = dimension;
  }

  /** Appends a copy of {@code vector} and returns its ordinal. */
  int add(float[] vector) {
    if (size == vectors.length) {
      vectors = Arrays.copyOf(vectors, size * 2);
    }
    vectors[size] = vector.clone();
    return size++;
  }

  @Override
  public float[] vectorValue(int ordinal) {
    return vectors[ordinal];
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /** The vectors are immutable, so every reader can share this instance. */
  @Override
  public OrdinalVectors copy() {
    return this;
  }
}
