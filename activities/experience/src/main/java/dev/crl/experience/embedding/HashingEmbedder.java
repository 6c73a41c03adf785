package dev.crl.experience.embedding;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic bag-of-words embedder: every lower-cased word and word bigram is hashed to a
 * signed coordinate, and the sum is normalised. It has no model, so tests and benchmarks that care
 * about the bank rather than about semantics run fast and give the same vectors everywhere.
 */
public final class HashingEmbedder implements Embedder {

  private final int dimension;
  private final long seed;

  /** A hashing embedder with {@code dimension} coordinates and a fixed hash seed. */
  public HashingEmbedder(int dimension, long seed) {
    if (dimension < 2) {
      throw new IllegalArgumentException("dimension must be at least 2, got " + dimension);
    }
    this.dimension = dimension;
    this.seed = seed;
  }

  /** The 384-dimensional default, the same width as MiniLM so the two are interchangeable. */
  public HashingEmbedder() {
    this(384, 0x5eedL);
  }

  @Override
  public String name() {
    return "hashing-" + dimension + "-" + Long.toHexString(seed);
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (String text : texts) {
      out.add(embedOne(text));
    }
    return out;
  }

  private float[] embedOne(String text) {
    float[] v = new float[dimension];
    String[] words = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
    String previous = null;
    int features = 0;
    for (String word : words) {
      if (word.isEmpty()) {
        continue;
      }
      addFeature(v, word, 1.0f);
      if (previous != null) {
        addFeature(v, previous + ' ' + word, 0.5f);
      }
      previous = word;
      features++;
    }
    if (features == 0) {
      // An empty text still needs a unit vector; give it a fixed, seed-dependent direction.
      addFeature(v, "\u0000empty", 1.0f);
    }
    return VectorMath.normalizeInPlace(v);
  }

  private void addFeature(float[] v, String feature, float weight) {
    long h = hash(feature);
    int index = (int) Long.remainderUnsigned(h, dimension);
    float sign = (h >>> 63) == 0 ? 1f : -1f;
    v[index] += sign * weight;
  }

  /** 64-bit FNV-1a over UTF-8 bytes, finished with a murmur-style mix so nearby strings spread. */
  private long hash(String s) {
    long h = 0xcbf29ce484222325L ^ seed;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
