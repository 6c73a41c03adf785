package dev.crl.experience.store;

import java.util.logging.Logger;

/**
 * Picks the {@link DotProductKernel}. The SIMD kernel's class refers to {@code
 * jdk.incubator.vector}, so it is only loaded after the module is known to be present: loading it
 * without the module would fail with {@link NoClassDefFoundError}.
 */
final class DotProductKernels {

  /** Set to {@code true} to force the plain-loop kernel (for comparisons and diagnosis). */
  static final String DISABLE_PROPERTY = "crl.simd.disabled";

  private static final Logger LOG = Logger.getLogger(DotProductKernels.class.getName());
  private static final String VECTOR_MODULE = "jdk.incubator.vector";

  private DotProductKernels() {}

  static DotProductKernel choose() {
    if (Boolean.getBoolean(DISABLE_PROPERTY)) {
      return new ScalarDotProductKernel();
    }
    if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
      LOG.fine(() -> "dot products use plain loops: start the JVM with --add-modules " + VECTOR_MODULE
          + " for SIMD");
      return new ScalarDotProductKernel();
    }
    DotProductKernel simd = SimdDotProductKernel.createIfWorthwhile();
    return simd != null ? simd : new ScalarDotProductKernel();
  }
}
