package dev.crl.learning.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * AdamW with decoupled weight decay and global-norm gradient clipping, written over the
 * decoder's parameter map. Moments live in the optimiser's own manager so they can be saved with
 * a checkpoint and restored exactly.
 */
public final class AdamW implements AutoCloseable {
  private final Map<String, NDArray> parameters;
  private final NDManager manager;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private long step;
  private final Optional<FusedAdamWStep> fused;

  /**
   * An optimizer over {@code parameters} whose moments live in a sub-manager of {@code parent}.
   * It uses PyTorch's fused kernel unless {@code -Dcrl.adamw=operators} asks for the
   * operator-by-operator path (or the kernel cannot be loaded); both compute the same update.
   */
  public AdamW(Map<String, NDArray> parameters, NDManager parent) {
    this.parameters = parameters;
    this.fused = "operators".equals(System.getProperty("crl.adamw", "fused"))
        ? Optional.empty() : FusedAdamWStep.shared();
    this.manager = parent.newSubManager();
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      firstMoments.put(e.getKey(), manager.zeros(e.getValue().getShape()));
      secondMoments.put(e.getKey(), manager.zeros(e.getValue().getShape()));
      e.getValue().setRequiresGradient(true);
    }
  }

  /** Whether steps run in PyTorch's fused kernel (one pass per parameter) rather than operator by operator. */
  public boolean usesFusedKernel() {
    return fused.isPresent();
  }

  public long step() {
    return step;
  }

  /**
   * Applies one update from the gradients accumulated on the parameters, then zeroes them.
   *
   * @return the gradient norm before clipping; when it is not finite the update is skipped (the
   *     step counter does not advance) and the gradients are cleared
   */
  public double update(OptimizerConfig c) {
    boolean previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      if (fused.isPresent()) {
        return fusedUpdate(fused.get(), c);
      }
      Map<String, NDArray> grads = new LinkedHashMap<>();
      double squared = 0;
      for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
        NDArray g = e.getValue().getGradient();
        grads.put(e.getKey(), g);
        double n = g.norm().getFloat();
        squared += n * n;
      }
      double norm = Math.sqrt(squared);
      if (!Double.isFinite(norm)) {
        // One poisoned batch must not destroy the weights or stop a long run: the update is
        // skipped, gradients are cleared and the caller sees the non-finite norm in the result.
        zeroGradients();
        return norm;
      }
      double scale = c.maxGradNorm() > 0 && norm > c.maxGradNorm() ? c.maxGradNorm() / (norm + 1e-6) : 1.0;
      step++;
      double lr = c.learningRateAt(step);
      double bc1 = 1 - Math.pow(c.beta1(), step);
      double bc2 = 1 - Math.pow(c.beta2(), step);
      double stepSize = lr / bc1;
      // Every full-size temporary is a fresh allocation that the kernel must fault in (hundreds of
      // megabytes per step for a 135M-parameter model), and every operator is one more pass over
      // memory; DJL has no fused addcmul/addcdiv. So the gradient buffer, which is cleared after
      // the update anyway, is scaled and squared in place, clipping and bias corrections are
      // folded into scalar factors, and one temporary per parameter remains (the denominator).
      float mScale = (float) ((1 - c.beta1()) * scale);
      float gradSquareToV = (float) ((1 - c.beta2()) / ((1 - c.beta1()) * (1 - c.beta1())));
      float invDenomScale = (float) (1 / (Math.sqrt(bc2) * stepSize));
      float epsOverStep = (float) (c.epsilon() / stepSize);
      for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
        String name = e.getKey();
        NDArray p = e.getValue();
        NDArray g = grads.get(name);
        NDArray m = firstMoments.get(name);
        NDArray v = secondMoments.get(name);
        g.muli(mScale); // g = (1 - beta1) * clip * grad
        m.muli((float) c.beta1()).addi(g);
        g.muli(g).muli(gradSquareToV); // g = (1 - beta2) * (clip * grad)^2
        v.muli((float) c.beta2()).addi(g);
        if (c.weightDecay() > 0 && p.getShape().dimension() >= 2) {
          p.muli((float) (1 - lr * c.weightDecay()));
        }
        if (stepSize > 0) {
          // step = stepSize * m / (sqrt(v) / sqrt(bc2) + eps), computed as m * 1 / (denominator / stepSize).
          NDArray update = v.sqrt().muli(invDenomScale).addi(epsOverStep).powi(-1).muli(m);
          p.subi(update);
        }
      }
      zeroGradients();
      return norm;
    } finally {
      JniUtils.setGradMode(previous);
    }
  }

  /**
   * The same step in one call to PyTorch's fused kernel. Weight decay applies to matrices only,
   * as in the operator-by-operator path; the step counter advances only when the norm is finite.
   */
  private double fusedUpdate(FusedAdamWStep fused, OptimizerConfig c) {
    FusedAdamWStep.Group decayed = FusedAdamWStep.Group.empty();
    FusedAdamWStep.Group plain = FusedAdamWStep.Group.empty();
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      NDArray p = e.getValue();
      boolean decays = c.weightDecay() > 0 && p.getShape().dimension() >= 2;
      (decays ? decayed : plain).add(p, p.getGradient(), firstMoments.get(e.getKey()),
          secondMoments.get(e.getKey()));
    }
    long next = step + 1;
    double norm = fused.apply(decayed, plain, next, c.learningRateAt(next), c);
    if (Double.isFinite(norm)) {
      step = next;
    }
    return norm;
  }

  /** Clears accumulated gradients without updating. */
  public void zeroGradients() {
    for (NDArray p : parameters.values()) {
      JniUtils.zeroGrad((PtNDArray) p);
    }
  }

  /** Moments by name ({@code m.<param>} and {@code v.<param>}) for checkpointing. */
  public Map<String, NDArray> state() {
    Map<String, NDArray> s = new LinkedHashMap<>();
    firstMoments.forEach((k, v) -> s.put("m." + k, v));
    secondMoments.forEach((k, v) -> s.put("v." + k, v));
    return s;
  }

  /** Restores moments and the step counter saved by {@link #state()}. */
  public void restore(Map<String, NDArray> state, long savedStep) {
    for (String name : parameters.keySet()) {
      NDArray m = state.get("m." + name);
      NDArray v = state.get("v." + name);
      if (m == null || v == null || !m.getShape().equals(firstMoments.get(name).getShape())) {
        throw new IllegalArgumentException("optimizer state lacks or mis-shapes the moments of " + name);
      }
      firstMoments.get(name).set(m.toFloatArray());
      secondMoments.get(name).set(v.toFloatArray());
    }
    this.step = savedStep;
  }

  @Override
  public void close() {
    manager.close();
  }
}
