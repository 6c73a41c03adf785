package dev.crl.learning;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Sets PyTorch's intra-op thread count once per process from {@code -Dcrl.torch.threads} or
 * {@code CRL_TORCH_THREADS}, defaulting to one thread. On a small shared CPU machine, OpenMP
 * workers spin while waiting for cores and burn several times the useful CPU time; the tiny models
 * gain nothing from a second thread anyway. Raise it for larger models on dedicated cores; it has
 * no effect on GPU kernels.
 */
public final class TorchThreads {
  private static volatile boolean configured;

  private TorchThreads() {}

  public static synchronized void configureOnce() {
    if (configured) {
      return;
    }
    configured = true;
    String v = System.getProperty("crl.torch.threads", System.getenv("CRL_TORCH_THREADS"));
    int n = v == null || v.isBlank() ? 1 : Integer.parseInt(v.trim());
    if (n <= 0) {
      throw new IllegalArgumentException("crl.torch.threads must be positive, got " + v);
    }
    // DJL applies this property when the engine starts, before PyTorch creates its thread pool;
    // changing the count only afterwards can leave kernels that already sized their pool running
    // with more threads (and a different summation order) than asked for.
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(n));
    }
    ai.djl.engine.Engine.getEngine("PyTorch");
    JniUtils.setNumThreads(n);
  }
}
