package dev.crl.experience.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * Both dot-product kernels against a double-precision sum, at lengths that are and are not
 * multiples of the SIMD register, and the choice of the active kernel. The tests run with {@code
 * --add-modules jdk.incubator.vector} (the root pom's argLine), so the SIMD kernel is always
 * loadable here.
 */
class DotProductKernelTest {

  private static final int[] LENGTHS = {1, 7, 8, 15, 16, 17, 100, 384, 385, 768};

  @Test
  void scalarKernelMatchesDoublePrecision() {
    checkAgainstReference(new ScalarDotProductKernel());
  }

  @Test
  void simdKernelMatchesDoublePrecision() {
    checkAgainstReference(simdKernel());
  }

  @Test
  void activeKernelIsSimdWhereVectorsAreWideEnough() {
    boolean wide = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    if (wide) {
      assertEquals("simd-" + FloatVector.SPECIES_PREFERRED.vectorBitSize(), DotProductKernel.ACTIVE.name());
    } else {
      assertInstanceOf(ScalarDotProductKernel.class, DotProductKernel.ACTIVE);
    }
  }

  @Test
  void disablingPropertyForcesPlainLoops() {
    String before = System.getProperty(DotProductKernels.DISABLE_PROPERTY);
    System.setProperty(DotProductKernels.DISABLE_PROPERTY, "true");
    try {
      assertInstanceOf(ScalarDotProductKernel.class, DotProductKernels.choose());
    } finally {
      if (before == null) {
        System.clearProperty(DotProductKernels.DISABLE_PROPERTY);
      } else {
        System.setProperty(DotProductKernels.DISABLE_PROPERTY, before);
      }
    }
  }

  @Test
  void groupedScoresMatchSingleScoresForEveryCount() {
    Random random = new Random(3);
    float[] query = randomVector(random, 384);
    float[][] vectors = new float[21][];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = randomVector(random, 384);
    }
    GroupedDotProducts grouped = new GroupedDotProducts();
    for (int count = 0; count <= vectors.length; count++) {
      float[] out = new float[vectors.length];
      grouped.score(query, vectors, count, out);
      for (int i = 0; i < count; i++) {
        assertEquals(reference(query, vectors[i]), out[i], 1e-4, "count " + count + ", vector " + i);
      }
      for (int i = count; i < vectors.length; i++) {
        assertEquals(0f, out[i], "count " + count + " wrote past its end at " + i);
      }
    }
  }

  /** The SIMD kernel whatever this processor's register width: the tests check its arithmetic. */
  private static DotProductKernel simdKernel() {
    DotProductKernel kernel = SimdDotProductKernel.createIfWorthwhile();
    return kernel != null ? kernel : SimdDotProductKernel.createForTests();
  }

  private static void checkAgainstReference(DotProductKernel kernel) {
    Random random = new Random(11);
    for (int length : LENGTHS) {
      float[] q = randomVector(random, length);
      float[][] group = new float[8][];
      for (int k = 0; k < 8; k++) {
        group[k] = randomVector(random, length);
      }
      float[] out = new float[8];
      kernel.dot8(q, group, out);
      double tolerance = 1e-5 * length;
      for (int k = 0; k < 8; k++) {
        double expected = reference(q, group[k]);
        assertEquals(expected, out[k], tolerance, kernel.name() + " dot8, length " + length + ", vector " + k);
        assertEquals(expected, kernel.dot(q, group[k]), tolerance, kernel.name() + " dot, length " + length);
      }
    }
  }

  private static double reference(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  private static float[] randomVector(Random random, int length) {
    float[] v = new float[length];
    for (int i = 0; i < length; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }
}
