package dev.crl.experience.store;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Dot products with the Java Vector API (incubating in Java 17, so the JVM needs {@code
 * --add-modules jdk.incubator.vector}). Each step multiplies and adds a whole register of
 * coordinates; coordinates past the last full register are added one at a time.
 */
final class SimdDotProductKernel implements DotProductKernel {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /**
   * The kernel, or null when the processor's preferred vectors hold fewer than eight floats. With
   * 128-bit vectors the gain over plain loops is small, and without hardware support the Vector
   * API runs a slow emulation.
   */
  static DotProductKernel createIfWorthwhile() {
    return SPECIES.vectorBitSize() >= 256 ? new SimdDotProductKernel() : null;
  }

  /** The kernel even where it is not worthwhile, so that tests can check its arithmetic anywhere. */
  static DotProductKernel createForTests() {
    return new SimdDotProductKernel();
  }

  private SimdDotProductKernel() {}

  @Override
  public float dot(float[] q, float[] v) {
    FloatVector acc = FloatVector.zero(SPECIES);
    int bound = SPECIES.loopBound(q.length);
    int i = 0;
    for (; i < bound; i += SPECIES.length()) {
      acc = FloatVector.fromArray(SPECIES, q, i).fma(FloatVector.fromArray(SPECIES, v, i), acc);
    }
    float sum = acc.reduceLanes(VectorOperators.ADD);
    for (; i < q.length; i++) {
      sum += q[i] * v[i];
    }
    return sum;
  }

  @Override
  public void dot8(float[] q, float[][] v, float[] out) {
    float[] a = v[0];
    float[] b = v[1];
    float[] c = v[2];
    float[] d = v[3];
    float[] e = v[4];
    float[] f = v[5];
    float[] g = v[6];
    float[] h = v[7];
    FloatVector sa = FloatVector.zero(SPECIES);
    FloatVector sb = sa;
    FloatVector sc = sa;
    FloatVector sd = sa;
    FloatVector se = sa;
    FloatVector sf = sa;
    FloatVector sg = sa;
    FloatVector sh = sa;
    int bound = SPECIES.loopBound(q.length);
    int i = 0;
    for (; i < bound; i += SPECIES.length()) {
      FloatVector x = FloatVector.fromArray(SPECIES, q, i);
      sa = x.fma(FloatVector.fromArray(SPECIES, a, i), sa);
      sb = x.fma(FloatVector.fromArray(SPECIES, b, i), sb);
      sc = x.fma(FloatVector.fromArray(SPECIES, c, i), sc);
      sd = x.fma(FloatVector.fromArray(SPECIES, d, i), sd);
      se = x.fma(FloatVector.fromArray(SPECIES, e, i), se);
      sf = x.fma(FloatVector.fromArray(SPECIES, f, i), sf);
      sg = x.fma(FloatVector.fromArray(SPECIES, g, i), sg);
      sh = x.fma(FloatVector.fromArray(SPECIES, h, i), sh);
    }
    out[0] = sa.reduceLanes(VectorOperators.ADD);
    out[1] = sb.reduceLanes(VectorOperators.ADD);
    out[2] = sc.reduceLanes(VectorOperators.ADD);
    out[3] = sd.reduceLanes(VectorOperators.ADD);
    out[4] = se.reduceLanes(VectorOperators.ADD);
    out[5] = sf.reduceLanes(VectorOperators.ADD);
    out[6] = sg.reduceLanes(VectorOperators.ADD);
    out[7] = sh.reduceLanes(VectorOperators.ADD);
    for (; i < q.length; i++) {
      float x = q[i];
      out[0] += x * a[i];
      out[1] += x * b[i];
      out[2] += x * c[i];
      out[3] += x * d[i];
      out[4] += x * e[i];
      out[5] += x * f[i];
      out[6] += x * g[i];
      out[7] += x * h[i];
    }
  }

  @Override
  public String name() {
    return "simd-" + SPECIES.vectorBitSize();
  }
}
