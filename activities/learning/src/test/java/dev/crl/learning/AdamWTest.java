package dev.crl.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.crl.learning.rl.AdamW;
import dev.crl.learning.rl.OptimizerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our AdamW against the textbook update (Loshchilov and Hutter's decoupled weight decay, the form
 * PyTorch's {@code torch.optim.AdamW} implements) written out in plain Java doubles: moments,
 * bias corrections, epsilon outside the square root, weight decay on matrices only, global-norm
 * clipping, over several steps with a warm-up. Both of the optimizer's paths are held to it: PyTorch's
 * fused kernel (the default) and the operator-by-operator path, which computes in place and folds
 * factors for speed.
 */
class AdamWTest {
  @BeforeAll
  static void engine() {
    TorchThreads.configureOnce();
  }

  @Test
  void fusedKernelMatchesTheTextbookUpdateWithClippingDecayAndWarmUp() {
    checkAgainstTextbook(true);
  }

  @Test
  void operatorPathMatchesTheTextbookUpdateWithClippingDecayAndWarmUp() {
    checkAgainstTextbook(false);
  }

  private static void checkAgainstTextbook(boolean fused) {
    OptimizerConfig c = OptimizerConfig.builder().setLearningRate(0.01).optBetas(0.9, 0.98)
        .optEpsilon(1e-6).optWeightDecay(0.1).optMaxGradNorm(1.0).optWarmupSteps(2).build();
    float[] w0 = {0.5f, -0.25f, 1.0f, 0.75f, -1.5f, 0.1f};
    float[] b0 = {0.2f, -0.3f, 0.0f};
    // Gradients per step (d loss / d parameter), large enough on step 2 that clipping applies.
    float[][] gw = {{0.1f, -0.2f, 0.3f, 0.0f, 0.05f, -0.1f}, {2.0f, 1.0f, -3.0f, 0.5f, 0.0f, 1.0f},
        {-0.01f, 0.02f, 0.0f, 0.03f, -0.04f, 0.05f}};
    float[][] gb = {{0.3f, 0.0f, -0.1f}, {-1.0f, 2.0f, 0.5f}, {0.02f, -0.01f, 0.0f}};

    double[] w = toDouble(w0);
    double[] b = toDouble(b0);
    double[] mw = new double[6];
    double[] vw = new double[6];
    double[] mb = new double[3];
    double[] vb = new double[3];

    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray pw = manager.create(w0, new Shape(2, 3));
      NDArray pb = manager.create(b0);
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("w", pw);
      params.put("b", pb);
      try (AdamW adam = newAdamW(params, manager, fused)) {
        assertEquals(fused, adam.usesFusedKernel(), "fused kernel in use");
        for (int t = 0; t < gw.length; t++) {
          NDArray cw = manager.create(gw[t], new Shape(2, 3));
          NDArray cb = manager.create(gb[t]);
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(pw.mul(cw).sum().add(pb.mul(cb).sum()));
          }
          double norm = adam.update(c);

          // The reference step.
          double sq = 0;
          for (float x : gw[t]) {
            sq += x * (double) x;
          }
          for (float x : gb[t]) {
            sq += x * (double) x;
          }
          double expectedNorm = Math.sqrt(sq);
          assertEquals(expectedNorm, norm, 1e-5, "gradient norm at step " + (t + 1));
          double clip = expectedNorm > 1.0 ? 1.0 / (expectedNorm + 1e-6) : 1.0;
          long step = t + 1;
          double lr = c.learningRateAt(step);
          step(w, mw, vw, gw[t], clip, step, lr, c, true);
          step(b, mb, vb, gb[t], clip, step, lr, c, false);

          float[] gotW = pw.toFloatArray();
          float[] gotB = pb.toFloatArray();
          for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], gotW[i], 1e-6, "w[" + i + "] after step " + step);
          }
          for (int i = 0; i < b.length; i++) {
            assertEquals(b[i], gotB[i], 1e-6, "b[" + i + "] after step " + step);
          }
        }
      }
    }
  }

  @Test
  void fusedKernelSkipsANonFiniteGradientAndClearsIt() {
    checkNonFiniteSkip(true);
  }

  @Test
  void operatorPathSkipsANonFiniteGradientAndClearsIt() {
    checkNonFiniteSkip(false);
  }

  /**
   * A batch whose gradient holds NaN must leave the weights and moments as they were, not count
   * as a step, and leave cleared gradients behind so the next batch trains normally.
   */
  private static void checkNonFiniteSkip(boolean fused) {
    OptimizerConfig c = OptimizerConfig.builder().setLearningRate(0.01).optWeightDecay(0.1).build();
    float[] w0 = {0.5f, -0.25f, 1.0f, 0.75f};
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NDArray pw = manager.create(w0, new Shape(2, 2));
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("w", pw);
      try (AdamW adam = newAdamW(params, manager, fused)) {
        NDArray poisoned = manager.create(new float[] {1f, Float.NaN, 0f, 2f}, new Shape(2, 2));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          collector.backward(pw.mul(poisoned).sum());
        }
        double norm = adam.update(c);
        assertEquals(Double.NaN, norm, "the norm reports the poisoned gradient");
        assertEquals(0, adam.step(), "a skipped update is not a step");
        assertArrayEquals(w0, pw.toFloatArray(), "weights unchanged");
        assertArrayEquals(new float[4], pw.getGradient().toFloatArray(),
            "gradients cleared");
        adam.state().values().forEach(moment -> assertArrayEquals(
            new float[4], moment.toFloatArray(), "moments unchanged"));

        NDArray fine = manager.create(new float[] {1f, -1f, 0.5f, 0f}, new Shape(2, 2));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          collector.backward(pw.mul(fine).sum());
        }
        assertEquals(Math.sqrt(2.25), adam.update(c), 1e-6, "the next batch's norm alone");
        assertEquals(1, adam.step());
      }
    }
  }

  private static AdamW newAdamW(Map<String, NDArray> params, NDManager manager, boolean fused) {
    String previous = System.getProperty("crl.adamw");
    System.setProperty("crl.adamw", fused ? "fused" : "operators");
    try {
      return new AdamW(params, manager);
    } finally {
      if (previous == null) {
        System.clearProperty("crl.adamw");
      } else {
        System.setProperty("crl.adamw", previous);
      }
    }
  }

  private static void step(double[] p, double[] m, double[] v, float[] grad, double clip, long t,
      double lr, OptimizerConfig c, boolean decays) {
    for (int i = 0; i < p.length; i++) {
      double g = grad[i] * clip;
      m[i] = c.beta1() * m[i] + (1 - c.beta1()) * g;
      v[i] = c.beta2() * v[i] + (1 - c.beta2()) * g * g;
      if (decays) {
        p[i] *= 1 - lr * c.weightDecay();
      }
      double mHat = m[i] / (1 - Math.pow(c.beta1(), t));
      double vHat = v[i] / (1 - Math.pow(c.beta2(), t));
      p[i] -= lr * mHat / (Math.sqrt(vHat) + c.epsilon());
    }
  }

  private static double[] toDouble(float[] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i];
    }
    return out;
  }
}
