package dev.crl.learning.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A Llama / Qwen2 / Qwen3 decoder written directly in NDArray operations. Parameters carry their
 * Hugging Face names so checkpoints round-trip through safetensors without a renaming table.
 *
 * <p>Every intermediate array is created while a caller's {@link ai.djl.ndarray.NDScope} is open,
 * so native memory is released at the end of each step no matter which manager an operation
 * attached its result to.
 */
public final class Decoder implements AutoCloseable {

  /** Additive mask value for blocked keys; finite so fully masked padding rows never turn into NaN. */
  public static final float MASKED = -1e9f;

  private final ModelConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> parameters;
  private final NDArray inverseFrequencies;
  /** Signed permutation R with x·R = rotate_half(x): one matmul instead of split, negate, concat. */
  private final NDArray rotateHalfMatrix;

  private Decoder(ModelConfig config, NDManager manager, Map<String, NDArray> parameters) {
    this.config = config;
    this.manager = manager;
    this.parameters = parameters;
    float[] inv = new float[config.headDim() / 2];
    for (int i = 0; i < inv.length; i++) {
      inv[i] = (float) (1.0 / Math.pow(config.ropeTheta(), (2.0 * i) / config.headDim()));
    }
    this.inverseFrequencies = manager.create(inv);
    int d = config.headDim();
    int half = d / 2;
    float[] r = new float[d * d];
    for (int j = 0; j < half; j++) {
      r[(j + half) * d + j] = -1f;
      r[j * d + j + half] = 1f;
    }
    this.rotateHalfMatrix = manager.create(r, new Shape(d, d));
  }

  /** The names and shapes every checkpoint of this configuration must contain. */
  public static Map<String, Shape> expectedShapes(ModelConfig c) {
    Map<String, Shape> s = new LinkedHashMap<>();
    long h = c.hiddenSize();
    long q = (long) c.numHeads() * c.headDim();
    long kv = (long) c.numKvHeads() * c.headDim();
    s.put("model.embed_tokens.weight", new Shape(c.vocabSize(), h));
    for (int i = 0; i < c.numLayers(); i++) {
      String p = "model.layers." + i + ".";
      s.put(p + "input_layernorm.weight", new Shape(h));
      s.put(p + "self_attn.q_proj.weight", new Shape(q, h));
      s.put(p + "self_attn.k_proj.weight", new Shape(kv, h));
      s.put(p + "self_attn.v_proj.weight", new Shape(kv, h));
      if (c.attentionBias()) {
        s.put(p + "self_attn.q_proj.bias", new Shape(q));
        s.put(p + "self_attn.k_proj.bias", new Shape(kv));
        s.put(p + "self_attn.v_proj.bias", new Shape(kv));
      }
      if (c.qkNorm()) {
        s.put(p + "self_attn.q_norm.weight", new Shape(c.headDim()));
        s.put(p + "self_attn.k_norm.weight", new Shape(c.headDim()));
      }
      s.put(p + "self_attn.o_proj.weight", new Shape(h, q));
      s.put(p + "post_attention_layernorm.weight", new Shape(h));
      s.put(p + "mlp.gate_proj.weight", new Shape(c.intermediateSize(), h));
      s.put(p + "mlp.up_proj.weight", new Shape(c.intermediateSize(), h));
      s.put(p + "mlp.down_proj.weight", new Shape(h, c.intermediateSize()));
    }
    s.put("model.norm.weight", new Shape(h));
    if (!c.tieWordEmbeddings()) {
      s.put("lm_head.weight", new Shape(c.vocabSize(), h));
    }
    return s;
  }

  /**
   * A freshly initialised model: normal(0, 0.02) matrices, unit norms, zero biases, drawn from a
   * seeded Java generator so the same seed gives the same weights on any device.
   */
  public static Decoder randomInit(ModelConfig c, NDManager parent, long seed) {
    NDManager m = parent.newSubManager();
    Random random = new Random(seed);
    Map<String, NDArray> p = new LinkedHashMap<>();
    for (Map.Entry<String, Shape> e : expectedShapes(c).entrySet()) {
      String name = e.getKey();
      Shape shape = e.getValue();
      float[] data = new float[Math.toIntExact(shape.size())];
      if (name.endsWith("norm.weight")) {
        java.util.Arrays.fill(data, 1f);
      } else if (!name.endsWith(".bias")) {
        for (int i = 0; i < data.length; i++) {
          data[i] = (float) (random.nextGaussian() * 0.02);
        }
      }
      // Cloned into PyTorch-owned memory: an array made from a Java buffer borrows that buffer,
      // and parameters must not depend on the Java side keeping it alive and untouched.
      NDArray borrowed = m.create(data, shape);
      NDArray a = borrowed.duplicate();
      borrowed.close();
      a.setName(name);
      p.put(name, a);
    }
    return new Decoder(c, m, p);
  }

  /**
   * Wraps loaded tensors. Missing or mis-shaped tensors are refused with their names; extra
   * tensors (for example rotary caches some exporters write) are ignored. Arrays are copied into
   * the decoder's own manager as float32.
   */
  public static Decoder fromTensors(ModelConfig c, NDManager parent, Map<String, NDArray> tensors) {
    NDManager m = parent.newSubManager();
    Map<String, NDArray> p = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, Shape> e : expectedShapes(c).entrySet()) {
      NDArray t = tensors.get(e.getKey());
      if (t == null && e.getKey().equals("lm_head.weight")) {
        t = tensors.get("model.embed_tokens.weight");
      }
      if (t == null) {
        problems.add("missing " + e.getKey());
        continue;
      }
      if (!t.getShape().equals(e.getValue())) {
        problems.add(e.getKey() + " has shape " + t.getShape() + ", expected " + e.getValue());
        continue;
      }
      // A real clone: arrays made from Java buffers share that buffer's memory, and the caller's
      // copies (and their buffers) may be freed as soon as this method returns.
      NDArray copy = (t.getDataType() == DataType.FLOAT32 ? t : t.toType(DataType.FLOAT32, false)).duplicate();
      copy.attach(m);
      copy.setName(e.getKey());
      p.put(e.getKey(), copy);
    }
    if (!problems.isEmpty()) {
      m.close();
      throw new IllegalArgumentException("weights do not fit the model configuration: " + String.join("; ", problems));
    }
    return new Decoder(c, m, p);
  }

  public ModelConfig config() {
    return config;
  }

  /** Parameters by Hugging Face name, in a stable order. */
  public Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(parameters);
  }

  public NDManager manager() {
    return manager;
  }

  public long parameterCount() {
    long n = 0;
    for (NDArray a : parameters.values()) {
      n += a.size();
    }
    return n;
  }

  /**
   * Runs the decoder.
   *
   * @param ids token ids, int64 [B, T]
   * @param positions rotary positions, float32 [B, T]
   * @param mask additive attention mask broadcastable to [B, 1, 1, T, S]
   * @param cache key/value cache to write at {@code start} and attend over, or null to attend over
   *     this call's keys only (training)
   * @param start index in the cache where this call's tokens go
   * @param lastOnly when true only the last position's logits are computed ([B, 1, V])
   * @return logits [B, T, V]
   */
  public NDArray forward(NDArray ids, NDArray positions, NDArray mask, KvCache cache, int start, boolean lastOnly) {
    NDArray x = Embedding.embedding(ids, p("model.embed_tokens.weight"), SparseFormat.DENSE).singletonOrThrow();
    NDArray freqs = positions.expandDims(-1).mul(inverseFrequencies);
    NDArray angles = freqs.concat(freqs, -1);
    // [B, 1, T, D] for keys and [B, 1, 1, T, D] for grouped queries, computed once for all layers.
    NDArray cos = angles.cos().expandDims(1);
    NDArray sin = angles.sin().expandDims(1);
    NDArray cosQ = cos.expandDims(1);
    NDArray sinQ = sin.expandDims(1);
    for (int layer = 0; layer < config.numLayers(); layer++) {
      String pre = "model.layers." + layer + ".";
      NDArray h = rmsNorm(x, p(pre + "input_layernorm.weight"));
      x = x.add(attention(h, pre, cos, sin, cosQ, sinQ, mask, cache, layer, start));
      h = rmsNorm(x, p(pre + "post_attention_layernorm.weight"));
      NDArray gate = linear(h, pre + "mlp.gate_proj");
      NDArray up = linear(h, pre + "mlp.up_proj");
      x = x.add(linear(gate.mul(Activation.sigmoid(gate)).mul(up), pre + "mlp.down_proj"));
    }
    if (lastOnly) {
      long t = x.getShape().get(1);
      x = x.get(new NDIndex(":, {}:", t - 1));
    }
    x = rmsNorm(x, p("model.norm.weight"));
    String head = config.tieWordEmbeddings() ? "model.embed_tokens.weight" : "lm_head.weight";
    return Linear.linear(x, p(head)).singletonOrThrow();
  }

  private NDArray attention(
      NDArray h, String pre, NDArray cos, NDArray sin, NDArray cosQ, NDArray sinQ, NDArray mask, KvCache cache,
      int layer, int start) {
    long b = h.getShape().get(0);
    long t = h.getShape().get(1);
    int kvh = config.numKvHeads();
    int g = config.groupSize();
    int d = config.headDim();
    NDArray q = linear(h, pre + "self_attn.q_proj").reshape(b, t, kvh, g, d);
    NDArray k = linear(h, pre + "self_attn.k_proj").reshape(b, t, kvh, d);
    NDArray v = linear(h, pre + "self_attn.v_proj").reshape(b, t, kvh, d);
    if (config.qkNorm()) {
      q = rmsNorm(q, p(pre + "self_attn.q_norm.weight"));
      k = rmsNorm(k, p(pre + "self_attn.k_norm.weight"));
    }
    // Query heads are grouped by the key/value head they share: [B, KV, G, T, D].
    q = q.transpose(0, 2, 3, 1, 4);
    k = k.transpose(0, 2, 1, 3);
    v = v.transpose(0, 2, 1, 3);
    q = q.mul(cosQ).add(q.matMul(rotateHalfMatrix).mul(sinQ));
    k = k.mul(cos).add(k.matMul(rotateHalfMatrix).mul(sin));
    NDArray keys = k;
    NDArray values = v;
    if (cache != null) {
      keys = cache.append(layer, k, v, start);
      values = cache.values(layer, start + (int) t);
    }
    long s = keys.getShape().get(2);
    NDArray scores = q.reshape(b, kvh, g * t, d).mul(constant(h, 1.0 / Math.sqrt(d))).matMul(keys.transpose(0, 1, 3, 2));
    NDArray probs = scores.reshape(b, kvh, g, t, s).add(mask).softmax(-1);
    NDArray out = probs.reshape(b, kvh, g * t, s).matMul(values).reshape(b, kvh, g, t, d);
    out = out.transpose(0, 3, 1, 2, 4).reshape(b, t, (long) kvh * g * d);
    return linear(out, pre + "self_attn.o_proj");
  }

  /**
   * A scalar as an array that stays open until the caller's scope ends. DJL's {@code mul(Number)}
   * closes its temporary scalar right after the operation, but autograd keeps that scalar for the
   * backward pass; its Java-owned memory may then be reused before backward reads it, which
   * produced garbage gradients. Scalars that multiply or divide anything on the gradient path
   * must therefore come from here.
   */
  public static NDArray constant(NDArray like, double value) {
    return like.getManager().create((float) value);
  }

  private NDArray rmsNorm(NDArray x, NDArray weight) {
    NDArray rms = x.square().mean(new int[] {-1}, true).add((float) config.rmsNormEps()).sqrt();
    return x.div(rms).mul(weight);
  }

  private NDArray linear(NDArray x, String prefix) {
    NDArray bias = parameters.get(prefix + ".bias");
    return bias == null
        ? Linear.linear(x, p(prefix + ".weight")).singletonOrThrow()
        : Linear.linear(x, p(prefix + ".weight"), bias).singletonOrThrow();
  }

  private NDArray p(String name) {
    NDArray a = parameters.get(name);
    if (a == null) {
      throw new IllegalStateException("decoder has no parameter " + name);
    }
    return a;
  }

  @Override
  public void close() {
    manager.close();
  }
}
