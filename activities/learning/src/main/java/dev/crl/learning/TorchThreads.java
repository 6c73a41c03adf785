package dev.crl.learning;

import ai.djl.pytorch.jni.JniUtils;

/**
 * Sets PyTorch's intra-op thread count once per process from {@code -Dcrl.torch.threads} or
 * {@code CRL_TORCH_THREADS}. On a 2-core machine shared with other work, one thread gives steadier
 * sampling than oversubscribing both cores; unset, PyTorch's own default applies.
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
    if (v != null && !v.isBlank()) {
      int n = Integer.parseInt(v.trim());
      if (n <= 0) {
        throw new IllegalArgumentException("crl.torch.threads must be positive, got " + v);
      }
      JniUtils.setNumThreads(n);
    }
  }
}
