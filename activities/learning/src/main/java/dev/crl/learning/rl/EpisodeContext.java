package dev.crl.learning.rl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The growing token context of one multi-turn episode. Each appended segment is labelled as
 * prompt, environment or model output; only model tokens become trainable, and they keep the
 * log-probabilities they were sampled with so the episode can be turned into an {@link RlSample}.
 */
public final class EpisodeContext {
  /** Who produced a token. */
  public enum Source {
    PROMPT,
    ENVIRONMENT,
    MODEL
  }

  private int[] tokens = new int[64];
  private byte[] sources = new byte[64];
  private float[] logprobs = new float[64];
  private int length;

  /** Appends the task prompt (system text, goal, retrieved experience). */
  public EpisodeContext appendPrompt(int[] ids) {
    return append(ids, Source.PROMPT, null);
  }

  /** Appends an environment observation or feedback; never trained on. */
  public EpisodeContext appendEnvironment(int[] ids) {
    return append(ids, Source.ENVIRONMENT, null);
  }

  /** Appends tokens the policy generated, with their sampling log-probabilities. */
  public EpisodeContext appendModel(int[] ids, float[] sampledLogprobs) {
    if (sampledLogprobs == null || sampledLogprobs.length != ids.length) {
      throw new IllegalArgumentException("model tokens need one sampling log-probability each");
    }
    if (length == 0) {
      throw new IllegalArgumentException("an episode must start with a prompt before model tokens");
    }
    return append(ids, Source.MODEL, sampledLogprobs);
  }

  private EpisodeContext append(int[] ids, Source source, float[] lp) {
    ensure(length + ids.length);
    for (int i = 0; i < ids.length; i++) {
      tokens[length + i] = ids[i];
      sources[length + i] = (byte) source.ordinal();
      logprobs[length + i] = lp == null ? 0f : lp[i];
    }
    length += ids.length;
    return this;
  }

  private void ensure(int n) {
    if (n > tokens.length) {
      int cap = Math.max(n, tokens.length * 2);
      tokens = Arrays.copyOf(tokens, cap);
      sources = Arrays.copyOf(sources, cap);
      logprobs = Arrays.copyOf(logprobs, cap);
    }
  }

  public int length() {
    return length;
  }

  /** All tokens so far: the prompt for the next generation call. */
  public int[] tokens() {
    return Arrays.copyOf(tokens, length);
  }

  public Source sourceAt(int i) {
    if (i < 0 || i >= length) {
      throw new IndexOutOfBoundsException(i);
    }
    return Source.values()[sources[i]];
  }

  /** Number of model-generated tokens. */
  public int modelTokenCount() {
    int n = 0;
    for (int i = 0; i < length; i++) {
      if (sources[i] == Source.MODEL.ordinal()) {
        n++;
      }
    }
    return n;
  }

  /** The episode as a training sample; model tokens are trainable, everything else is context. */
  public RlSample toSample(double advantage, double weight) {
    boolean[] mask = new boolean[length];
    for (int i = 0; i < length; i++) {
      mask[i] = sources[i] == Source.MODEL.ordinal();
    }
    return new RlSample(tokens(), mask, Arrays.copyOf(logprobs, length), advantage, weight);
  }

  /** Segment boundaries as (source, start, end) triples, for logging and inspection. */
  public List<int[]> segments() {
    List<int[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= length; i++) {
      if (i == length || sources[i] != sources[start]) {
        out.add(new int[] {sources[start], start, i});
        start = i;
      }
    }
    return out;
  }
}
