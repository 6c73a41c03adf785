package dev.crl.experience.store;

import dev.crl.experience.embedding.VectorMath;

/** Checks shared by the stores before a vector is written. */
final class StoreVectors {

  private StoreVectors() {}

  static void requireUnitVector(float[] v, int dimension, double tolerance, String id) {
    if (v.length != dimension) {
      throw new IllegalArgumentException(
          "entry " + id + " has a " + v.length + "-dimensional vector; the store holds " + dimension);
    }
    for (float x : v) {
      if (!Float.isFinite(x)) {
        throw new IllegalArgumentException("entry " + id + " has a non-finite vector coordinate");
      }
    }
    double norm = VectorMath.norm(v);
    if (Math.abs(norm - 1.0) > tolerance) {
      throw new IllegalArgumentException(
          "entry " + id + " has a vector of length " + norm + "; stores expect unit vectors");
    }
  }
}
