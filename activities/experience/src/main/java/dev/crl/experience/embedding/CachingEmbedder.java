package dev.crl.experience.embedding;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A least-recently-used cache in front of another embedder. Retrieval queries repeat (the same
 * task instance is rolled out K times per step), so most of them never reach the model.
 */
public final class CachingEmbedder implements Embedder {

  private final Embedder delegate;
  private final Map<String, float[]> cache;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  /** Caches up to {@code capacity} vectors of {@code delegate}. */
  public CachingEmbedder(Embedder delegate, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("cache capacity must be positive, got " + capacity);
    }
    this.delegate = delegate;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > capacity;
          }
        };
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    return embed(texts, false);
  }

  /** Cached texts are answered at once; the misses go to the delegate as deferrable. */
  @Override
  public List<float[]> embedDeferrable(List<String> texts) {
    return embed(texts, true);
  }

  private List<float[]> embed(List<String> texts, boolean deferrable) {
    float[][] out = new float[texts.size()][];
    List<String> missing = new ArrayList<>();
    List<Integer> missingAt = new ArrayList<>();
    synchronized (cache) {
      for (int i = 0; i < texts.size(); i++) {
        float[] v = cache.get(texts.get(i));
        if (v != null) {
          out[i] = v.clone();
        } else {
          missing.add(texts.get(i));
          missingAt.add(i);
        }
      }
    }
    hits.addAndGet(texts.size() - missing.size());
    misses.addAndGet(missing.size());
    if (!missing.isEmpty()) {
      // The model call runs outside the cache lock so that cached lookups never wait on it.
      List<float[]> computed = deferrable ? delegate.embedDeferrable(missing) : delegate.embed(missing);
      synchronized (cache) {
        for (int j = 0; j < missing.size(); j++) {
          cache.put(missing.get(j), computed.get(j).clone());
          out[missingAt.get(j)] = computed.get(j);
        }
      }
    }
    return List.of(out);
  }

  /** Lookups answered from the cache. */
  public long hits() {
    return hits.get();
  }

  /** Lookups that went to the model. */
  public long misses() {
    return misses.get();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
