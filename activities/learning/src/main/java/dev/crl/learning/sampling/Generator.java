package dev.crl.learning.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.crl.learning.model.Decoder;
import dev.crl.learning.model.KvCache;
import dev.crl.learning.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batched autoregressive generation with a key/value cache. Prompts are left-padded so every
 * row's next token sits in the same column; padding is masked out of attention and rotary
 * positions start at each row's first real token, so a row's output does not depend on what it
 * was batched with (up to float rounding).
 */
public final class Generator {
  private final Decoder decoder;
  private final Tokenizer tokenizer;

  public Generator(Decoder decoder, Tokenizer tokenizer) {
    this.decoder = decoder;
    this.tokenizer = tokenizer;
  }

  /**
   * Generates one continuation per prompt. Row {@code i} draws from its own random stream derived
   * from {@code seed} and {@code i}, so results are reproducible for a given seed and batch order.
   */
  public List<Generation> generate(List<int[]> prompts, List<SamplingParams> params, long seed) {
    if (prompts.isEmpty()) {
      return List.of();
    }
    if (params.size() != prompts.size()) {
      throw new IllegalArgumentException(prompts.size() + " prompts but " + params.size() + " sampling settings");
    }
    int batch = prompts.size();
    int vocab = decoder.config().vocabSize();
    int promptLen = 0;
    int maxNew = 0;
    for (int i = 0; i < batch; i++) {
      int[] p = prompts.get(i);
      if (p.length == 0) {
        throw new IllegalArgumentException("prompt " + i + " is empty; give at least one token");
      }
      for (int id : p) {
        if (id < 0 || id >= vocab) {
          throw new IllegalArgumentException("prompt " + i + " has token id " + id + " outside the vocabulary of " + vocab);
        }
      }
      promptLen = Math.max(promptLen, p.length);
      maxNew = Math.max(maxNew, params.get(i).maxNewTokens());
    }
    int capacity = promptLen + maxNew;
    boolean[][] keyValid = new boolean[batch][capacity];
    long[] ids = new long[batch * promptLen];
    float[] positions = new float[batch * promptLen];
    int[] nextPosition = new int[batch];
    for (int i = 0; i < batch; i++) {
      int[] p = prompts.get(i);
      int pad = promptLen - p.length;
      for (int j = 0; j < promptLen; j++) {
        boolean real = j >= pad;
        ids[i * promptLen + j] = real ? p[j - pad] : tokenizer.padId();
        positions[i * promptLen + j] = real ? j - pad : 0;
        keyValid[i][j] = real;
      }
      nextPosition[i] = p.length;
    }

    RowState[] rows = new RowState[batch];
    for (int i = 0; i < batch; i++) {
      rows[i] = new RowState(params.get(i), new SplittableRandom(mix(seed, i)), vocab);
    }
    boolean previousGradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager manager = decoder.manager().newSubManager();
        KvCache cache = new KvCache(manager, decoder.config(), batch, capacity)) {
      float[] logits;
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray idArray = manager.create(ids, new Shape(batch, promptLen));
        NDArray posArray = manager.create(positions, new Shape(batch, promptLen));
        int[] all = new int[batch];
        for (int i = 0; i < batch; i++) {
          all[i] = i;
        }
        NDArray mask = manager.create(maskFor(keyValid, all, promptLen, 0, promptLen), new Shape(batch, 1, 1, promptLen, promptLen));
        logits = decoder.forward(idArray, posArray, mask, cache, 0, true).toFloatArray();
      }
      int written = promptLen;
      // live[pos] is the prompt index held at batch position pos; finished rows are dropped from
      // the batch (and the cache) once they are at least half of it, so short answers stop costing.
      int[] live = new int[batch];
      for (int i = 0; i < batch; i++) {
        live[i] = i;
      }
      for (int step = 0; step < maxNew; step++) {
        int active = 0;
        for (int pos = 0; pos < live.length; pos++) {
          RowState r = rows[live[pos]];
          if (!r.finished) {
            r.step(logits, pos * vocab, tokenizer);
          }
          active += r.finished ? 0 : 1;
        }
        if (active == 0 || step == maxNew - 1) {
          break;
        }
        if (active <= live.length / 2 && live.length >= 4) {
          int[] keep = new int[active];
          int[] keptRows = new int[active];
          int k = 0;
          for (int pos = 0; pos < live.length; pos++) {
            if (!rows[live[pos]].finished) {
              keep[k] = pos;
              keptRows[k++] = live[pos];
            }
          }
          cache.keepRows(keep);
          live = keptRows;
        }
        int n = live.length;
        long[] next = new long[n];
        float[] nextPos = new float[n];
        for (int pos = 0; pos < n; pos++) {
          int row = live[pos];
          RowState r = rows[row];
          next[pos] = r.finished ? tokenizer.padId() : r.tokens.get(r.tokens.size() - 1);
          keyValid[row][written] = !r.finished;
          nextPos[pos] = nextPosition[row]++;
        }
        try (NDScope scope = new NDScope()) {
          scope.suppressNotUsedWarning();
          NDArray idArray = manager.create(next, new Shape(n, 1));
          NDArray posArray = manager.create(nextPos, new Shape(n, 1));
          NDArray mask = manager.create(maskFor(keyValid, live, 1, written, written + 1), new Shape(n, 1, 1, 1, written + 1));
          logits = decoder.forward(idArray, posArray, mask, cache, written, true).toFloatArray();
        }
        written++;
      }
    } finally {
      JniUtils.setGradMode(previousGradMode);
    }
    List<Generation> out = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      out.add(rows[i].result(prompts.get(i), tokenizer));
    }
    return out;
  }

  /** Additive mask for the given rows' queries at columns [firstQuery, firstQuery + queries) over keys [0, end). */
  private static float[] maskFor(boolean[][] keyValid, int[] rows, int queries, int firstQuery, int end) {
    int batch = rows.length;
    float[] m = new float[batch * queries * end];
    for (int b = 0; b < batch; b++) {
      boolean[] valid = keyValid[rows[b]];
      for (int q = 0; q < queries; q++) {
        int qCol = firstQuery + q;
        int base = (b * queries + q) * end;
        for (int k = 0; k < end; k++) {
          m[base + k] = (k <= qCol && valid[k]) ? 0f : Decoder.MASKED;
        }
      }
    }
    return m;
  }

  private static long mix(long seed, int row) {
    long z = seed * 0x9E3779B97F4A7C15L + row * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 31)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 29);
  }

  /** Tokens, log-probabilities and stopping state of one row. */
  private static final class RowState {
    final SamplingParams params;
    final SplittableRandom rng;
    final TokenConstraint.State constraint;
    final boolean[] allowed;
    final int vocab;
    final List<Integer> tokens = new ArrayList<>();
    final List<Float> logprobs = new ArrayList<>();
    final List<int[]> allowedPerStep = new ArrayList<>();
    boolean finished;
    Generation.FinishReason reason = Generation.FinishReason.LENGTH;
    String stoppedText;

    RowState(SamplingParams params, SplittableRandom rng, int vocab) {
      this.params = params;
      this.rng = rng;
      this.vocab = vocab;
      this.constraint = params.constraint() == null ? null : params.constraint().start();
      this.allowed = constraint == null ? null : new boolean[vocab];
    }

    void step(float[] logits, int offset, Tokenizer tokenizer) {
      if (constraint != null) {
        Arrays.fill(allowed, false);
        constraint.allowedTokens(allowed);
        allowedPerStep.add(allowedIds(allowed));
      }
      TokenSampler.Draw d = TokenSampler.draw(logits, offset, vocab, params, allowed, rng);
      tokens.add(d.token());
      logprobs.add(d.logprob());
      if (constraint != null) {
        constraint.accept(d.token());
      }
      if (d.token() == tokenizer.eosId()) {
        finish(Generation.FinishReason.EOS);
      } else if (constraint != null && constraint.isComplete()) {
        finish(Generation.FinishReason.CONSTRAINT_COMPLETE);
      } else if (!params.stopSequences().isEmpty()) {
        String text = tokenizer.decode(ids());
        for (String stop : params.stopSequences()) {
          int at = text.indexOf(stop);
          if (at >= 0) {
            stoppedText = text.substring(0, at);
            finish(Generation.FinishReason.STOP_SEQUENCE);
            break;
          }
        }
      }
      if (!finished && tokens.size() >= params.maxNewTokens()) {
        finish(Generation.FinishReason.LENGTH);
      }
    }

    private static int[] allowedIds(boolean[] allowed) {
      int n = 0;
      for (boolean a : allowed) {
        n += a ? 1 : 0;
      }
      int[] ids = new int[n];
      for (int i = 0, j = 0; i < allowed.length; i++) {
        if (allowed[i]) {
          ids[j++] = i;
        }
      }
      return ids;
    }

    private void finish(Generation.FinishReason r) {
      finished = true;
      reason = r;
    }

    int[] ids() {
      int[] a = new int[tokens.size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = tokens.get(i);
      }
      return a;
    }

    Generation result(int[] prompt, Tokenizer tokenizer) {
      int[] t = ids();
      float[] lp = new float[logprobs.size()];
      for (int i = 0; i < lp.length; i++) {
        lp[i] = logprobs.get(i);
      }
      String text = stoppedText != null ? stoppedText : tokenizer.decode(t);
      int[][] masks = constraint == null ? null : allowedPerStep.toArray(new int[0][]);
      return new Generation(prompt.clone(), t, lp, text, reason, masks);
    }
  }
}
