package dev.crl.experience.store;

/**
 * How this process computes dot products of float vectors. {@link #ACTIVE} is the SIMD kernel when
 * the JVM was started with {@code --add-modules jdk.incubator.vector} (as {@code ./crl}, the
 * container image and the test runs do) on a processor with vectors of at least 256 bits, and the
 * plain-loop kernel otherwise. The two agree to float rounding: they add the products in a
 * different order.
 *
 * <p>Why a kernel at all: on Java 17 the JIT compiles a float dot product to one multiply and one
 * add per coordinate, because it may not reorder float additions. The SIMD kernel does 16 fused
 * multiply-adds per instruction on this machine, which makes a cached vector 3.5 times faster to
 * score (docs/benchmarks.md, "Experience bank").
 */
public interface DotProductKernel {

  /** The kernel this process uses, chosen once when the class loads. */
  DotProductKernel ACTIVE = DotProductKernels.choose();

  /** {@code q · v}; both arrays have the same length. */
  float dot(float[] q, float[] v);

  /**
   * {@code out[k] = q · v[k]} for k in 0..7, in one pass over the coordinates so that the eight
   * vectors' memory is fetched in parallel.
   */
  void dot8(float[] q, float[][] v, float[] out);

  /** A short name for logs and benchmark output. */
  String name();
}
