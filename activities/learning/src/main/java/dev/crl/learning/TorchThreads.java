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
    // Loading the engine first makes sure the native library is in place before the JNI call.
    ai.djl.engine.Engine.getEngine("PyTorch");
    String v = System.getProperty("crl.torch.threads", System.getenv("CRL_TORCH_THREADS"));
    int n = v == null || v.isBlank() ? 1 : Integer.parseInt(v.trim());
    if (n <= 0) {
      throw new IllegalArgumentException("crl.torch.threads must be positive, got " + v);
    }
    JniUtils.setNumThreads(n);
  }
}
