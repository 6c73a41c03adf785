package dev.crl.learning.sampling;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Chooses one token from a row of logits on the CPU: optional constraint mask, temperature,
 * top-k, top-p. It also returns the chosen token's log-probability under the temperature-1
 * distribution before top-k and top-p, restricted to the constraint's allowed tokens when there is
 * a constraint. That is the policy a trainer recomputes for importance ratios: a constrained
 * (action-masked) policy is trained as the masked distribution, so probability never leaks to
 * tokens it could not have chosen.
 */
final class TokenSampler {
  private TokenSampler() {}

  /** Result of one draw. */
  record Draw(int token, float logprob) {}

  static Draw draw(float[] logits, int offset, int vocab, SamplingParams p, boolean[] allowed, SplittableRandom rng) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < vocab; i++) {
      if (allowed == null || allowed[i]) {
        max = Math.max(max, logits[offset + i]);
      }
    }
    double sum = 0;
    for (int i = 0; i < vocab; i++) {
      if (allowed == null || allowed[i]) {
        sum += Math.exp(logits[offset + i] - max);
      }
    }
    double logZ = max + Math.log(sum);
    int token = choose(logits, offset, vocab, p, allowed, rng);
    return new Draw(token, (float) (logits[offset + token] - logZ));
  }

  private static int choose(float[] logits, int offset, int vocab, SamplingParams p, boolean[] allowed, SplittableRandom rng) {
    if (p.temperature() == 0) {
      int best = -1;
      for (int i = 0; i < vocab; i++) {
        if ((allowed == null || allowed[i]) && (best < 0 || logits[offset + i] > logits[offset + best])) {
          best = i;
        }
      }
      if (best < 0) {
        throw new IllegalStateException("the constraint allows no token");
      }
      return best;
    }
    int[] candidates = candidates(logits, offset, vocab, p.topK(), allowed);
    if (candidates.length == 0) {
      throw new IllegalStateException("the constraint allows no token");
    }
    double invT = 1.0 / p.temperature();
    double max = Double.NEGATIVE_INFINITY;
    for (int c : candidates) {
      max = Math.max(max, logits[offset + c] * invT);
    }
    double[] w = new double[candidates.length];
    double total = 0;
    for (int i = 0; i < candidates.length; i++) {
      w[i] = Math.exp(logits[offset + candidates[i]] * invT - max);
      total += w[i];
    }
    int n = candidates.length;
    if (p.topP() < 1) {
      // Keep the smallest prefix of the most likely candidates whose mass reaches topP.
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      final double[] weights = w;
      Arrays.sort(order, (a, b) -> Double.compare(weights[b], weights[a]));
      int[] sortedCand = new int[n];
      double[] sortedW = new double[n];
      double cumulative = 0;
      int keep = 0;
      for (int i = 0; i < n; i++) {
        sortedCand[i] = candidates[order[i]];
        sortedW[i] = w[order[i]];
        if (cumulative < p.topP() * total) {
          keep = i + 1;
        }
        cumulative += sortedW[i];
      }
      candidates = sortedCand;
      w = sortedW;
      n = Math.max(1, keep);
      total = 0;
      for (int i = 0; i < n; i++) {
        total += w[i];
      }
    }
    double u = rng.nextDouble() * total;
    for (int i = 0; i < n; i++) {
      u -= w[i];
      if (u <= 0) {
        return candidates[i];
      }
    }
    return candidates[n - 1];
  }

  private static int[] candidates(float[] logits, int offset, int vocab, int topK, boolean[] allowed) {
    if (topK <= 0 || topK >= vocab) {
      int count = 0;
      int[] all = new int[vocab];
      for (int i = 0; i < vocab; i++) {
        if (allowed == null || allowed[i]) {
          all[count++] = i;
        }
      }
      return Arrays.copyOf(all, count);
    }
    PriorityQueue<Integer> heap = new PriorityQueue<>(topK + 1, (a, b) -> Float.compare(logits[offset + a], logits[offset + b]));
    for (int i = 0; i < vocab; i++) {
      if (allowed != null && !allowed[i]) {
        continue;
      }
      if (heap.size() < topK) {
        heap.add(i);
      } else if (logits[offset + i] > logits[offset + heap.peek()]) {
        heap.poll();
        heap.add(i);
      }
    }
    int[] out = new int[heap.size()];
    int k = 0;
    for (int i : heap) {
      out[k++] = i;
    }
    Arrays.sort(out);
    return out;
  }
}
