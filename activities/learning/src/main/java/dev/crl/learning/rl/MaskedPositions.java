package dev.crl.learning.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * The constrained positions of one micro-batch, as index tensors over the vocabulary axis. A
 * position whose token was sampled under a constraint (see {@link RlSample#allowedTokens()}) keeps
 * the ids it was allowed, padded to the longest list of the micro-batch; the trainer gathers those
 * logits instead of building a vocabulary-sized mask, so the memory stays proportional to the
 * number of allowed ids rather than to the vocabulary.
 */
final class MaskedPositions {
  /** Added to padding slots so that they carry no probability. */
  private static final float PAD = -1e9f;

  private final int rows;
  private final int cols;
  private final int width;
  private final long[] ids;
  private final float[] padding;
  private final float[] flags;

  private MaskedPositions(int rows, int cols, int width, long[] ids, float[] padding, float[] flags) {
    this.rows = rows;
    this.cols = cols;
    this.width = width;
    this.ids = ids;
    this.padding = padding;
    this.flags = flags;
  }

  /**
   * The positions of a micro-batch padded to {@code len} tokens; null when no token of the batch
   * was constrained. Position {@code t - 1} of the shifted logits predicts token {@code t}.
   */
  static MaskedPositions of(List<RlSample> batch, int len) {
    int width = 0;
    for (RlSample s : batch) {
      if (s.allowedTokens() != null) {
        for (int t = 1; t < s.tokens().length; t++) {
          if (s.trainable()[t] && s.allowedTokens()[t] != null) {
            width = Math.max(width, s.allowedTokens()[t].length);
          }
        }
      }
    }
    if (width == 0) {
      return null;
    }
    int rows = batch.size();
    int cols = len - 1;
    long[] ids = new long[rows * cols * width];
    float[] padding = new float[ids.length];
    float[] flags = new float[rows * cols];
    for (int i = 0; i < rows; i++) {
      RlSample s = batch.get(i);
      for (int t = 1; t < len; t++) {
        int base = (i * cols + t - 1) * width;
        int[] allowed = s.allowedTokens() == null || t >= s.tokens().length || !s.trainable()[t]
            ? null : s.allowedTokens()[t];
        if (allowed == null || allowed.length == 0) {
          // Unconstrained positions gather id 0 and are switched off by their flag.
          java.util.Arrays.fill(padding, base, base + width, PAD);
          continue;
        }
        flags[i * cols + t - 1] = 1f;
        for (int k = 0; k < width; k++) {
          ids[base + k] = allowed[Math.min(k, allowed.length - 1)];
          padding[base + k] = k < allowed.length ? 0f : PAD;
        }
      }
    }
    return new MaskedPositions(rows, cols, width, ids, padding, flags);
  }

  /** 1 where the position is constrained, 0 elsewhere; shape (rows, cols). */
  NDArray flags(NDManager m) {
    return m.create(flags, new Shape(rows, cols));
  }

  /** The allowed logits of every position, padding slots at -1e9; shape (rows, cols, width). */
  NDArray allowedLogits(NDManager m, NDArray shiftedLogits) {
    NDArray index = m.create(ids, new Shape(rows, cols, width));
    return shiftedLogits.gather(index, -1).add(m.create(padding, new Shape(rows, cols, width)));
  }

  /** Log-sum-exp over the last axis of {@link #allowedLogits}; shape (rows, cols). */
  static NDArray logSumExp(NDArray allowedLogits) {
    NDArray max = allowedLogits.max(new int[] {-1}, true).stopGradient();
    return allowedLogits.sub(max).exp().sum(new int[] {-1}).log().add(max.squeeze(-1));
  }

  /** Entropy of the masked distribution per position, given its log-sum-exp; shape (rows, cols). */
  static NDArray entropy(NDArray allowedLogits, NDArray logZ) {
    NDArray logp = allowedLogits.sub(logZ.expandDims(-1));
    return logp.exp().mul(logp).sum(new int[] {-1}).neg();
  }
}
