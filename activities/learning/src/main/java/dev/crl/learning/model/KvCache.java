package dev.crl.learning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Preallocated key/value buffers, one pair per layer, shaped [B, KV heads, capacity, head dim].
 * New keys are written in place, so a decode step costs one small copy instead of re-concatenating
 * the whole history.
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private final int capacity;

  public KvCache(NDManager parent, ModelConfig c, int batch, int capacity) {
    this.manager = parent.newSubManager();
    this.capacity = capacity;
    this.keys = new NDArray[c.numLayers()];
    this.values = new NDArray[c.numLayers()];
    Shape shape = new Shape(batch, c.numKvHeads(), capacity, c.headDim());
    for (int i = 0; i < c.numLayers(); i++) {
      keys[i] = manager.zeros(shape, DataType.FLOAT32);
      values[i] = manager.zeros(shape, DataType.FLOAT32);
    }
  }

  public int capacity() {
    return capacity;
  }

  /** Writes this step's keys and values at {@code start} and returns all keys up to the new end. */
  NDArray append(int layer, NDArray k, NDArray v, int start) {
    int end = start + (int) k.getShape().get(2);
    if (end > capacity) {
      throw new IllegalStateException("KV cache capacity " + capacity + " exceeded (need " + end + ")");
    }
    NDIndex slot = new NDIndex(":, :, {}:{}, :", start, end);
    keys[layer].set(slot, k);
    values[layer].set(slot, v);
    return keys[layer].get(new NDIndex(":, :, :{}, :", end));
  }

  /** Keeps only the given batch positions (in that order), e.g. to drop finished rows. */
  public void keepRows(int[] positions) {
    long[] idx = new long[positions.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = positions[i];
    }
    try (NDArray index = manager.create(idx)) {
      for (int i = 0; i < keys.length; i++) {
        NDArray k = keys[i].get(new NDIndex("{}", index));
        NDArray v = values[i].get(new NDIndex("{}", index));
        k.attach(manager);
        v.attach(manager);
        keys[i].close();
        values[i].close();
        keys[i] = k;
        values[i] = v;
      }
    }
  }

  NDArray values(int layer, int end) {
    return values[layer].get(new NDIndex(":, :, :{}, :", end));
  }

  @Override
  public void close() {
    manager.close();
  }
}
