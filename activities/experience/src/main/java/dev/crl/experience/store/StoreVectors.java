package dev.crl.experience.store;

import dev.crl.experience.embedding.VectorMath;

/** Checks shared by the stores before a vector is written. */
final class StoreVectors {

  private StoreVectors() {}

  /** Rejects a store dimension outside 1..4096. */
  static void requireDimension(int dimension) {
    if (dimension < 1 || dimension > 4096) {
      throw new IllegalArgumentException("dimension must be in 1..4096, got " + dimension);
    }
  }

  /** Rejects a query vector of the wrong length or with a non-finite coordinate. */
  static void requireQuery(float[] query, int dimension) {
    if (query.length != dimension) {
      throw new IllegalArgumentException(
          "query vector has " + query.length + " coordinates, the store holds " + dimension);
    }
    for (float x : query) {
      if (!Float.isFinite(x)) {
        throw new IllegalArgumentException("query vector has a non-finite coordinate");
      }
    }
  }

  /** How far from 1 a stored vector's length may be (float rounding of a normalised vector). */
  static final double UNIT_TOLERANCE = 1e-3;

  /** Rejects an entry vector of the wrong length, with a non-finite coordinate, or not of unit length. */
  static void requireUnitVector(float[] v, int dimension, String id) {
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
    if (Math.abs(norm - 1.0) > UNIT_TOLERANCE) {
      throw new IllegalArgumentException(
          "entry " + id + " has a vector of length " + norm + "; stores expect unit vectors");
    }
  }
}
