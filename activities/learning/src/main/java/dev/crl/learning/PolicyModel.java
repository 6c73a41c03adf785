package dev.crl.learning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.crl.learning.model.Decoder;
import dev.crl.learning.model.ModelConfig;
import dev.crl.learning.rl.RlTrainer;
import dev.crl.learning.sampling.Generation;
import dev.crl.learning.sampling.Generator;
import dev.crl.learning.sampling.SamplingParams;
import dev.crl.learning.tokenizer.Tokenizer;
import dev.crl.learning.tokenizer.Tokenizers;
import dev.crl.learning.weights.GgufModelLoader;
import dev.crl.learning.weights.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A causal language model with its tokenizer: the object the activities create, sample from,
 * train (through {@link RlTrainer}) and checkpoint. Not thread-safe; use one per thread.
 */
public final class PolicyModel implements AutoCloseable {
  private final NDManager manager;
  private final Decoder decoder;
  private final Tokenizer tokenizer;
  private final Generator generator;
  private long loadedStep;

  private PolicyModel(NDManager manager, Decoder decoder, Tokenizer tokenizer, long step) {
    if (tokenizer.vocabSize() > decoder.config().vocabSize()) {
      manager.close();
      throw new IllegalArgumentException("tokenizer has " + tokenizer.vocabSize() + " ids but the model only "
          + decoder.config().vocabSize());
    }
    this.manager = manager;
    this.decoder = decoder;
    this.tokenizer = tokenizer;
    this.generator = new Generator(decoder, tokenizer);
    this.loadedStep = step;
  }

  /** A randomly initialised model of a preset size ({@link ModelConfig#preset}) over {@code tok}'s vocabulary. */
  public static PolicyModel createTiny(String preset, Tokenizer tok, long seed) {
    TorchThreads.configureOnce();
    ModelConfig c = ModelConfig.preset(preset, tok.vocabSize());
    NDManager m = NDManager.newBaseManager();
    return new PolicyModel(m, Decoder.randomInit(c, m, seed), tok, 0);
  }

  /** Loads a checkpoint written by {@link #save}, verifying every file's sha256 first. */
  public static PolicyModel load(Path dir) throws IOException {
    Checkpoint.Manifest manifest = Checkpoint.verify(dir);
    return fromHfDirectory(dir, manifest.step());
  }

  /**
   * Loads pretrained weights: a {@code .gguf} file, or a Hugging Face directory with
   * {@code config.json}, safetensors (single or sharded) and {@code tokenizer.json}.
   */
  public static PolicyModel loadPretrained(Path dirOrGguf) throws IOException {
    if (Files.isRegularFile(dirOrGguf) && dirOrGguf.getFileName().toString().endsWith(".gguf")) {
      TorchThreads.configureOnce();
      NDManager m = NDManager.newBaseManager();
      try {
        GgufModelLoader.Loaded loaded = GgufModelLoader.load(dirOrGguf, m);
        return new PolicyModel(m, loaded.decoder(), loaded.tokenizer(), 0);
      } catch (IOException | RuntimeException e) {
        m.close();
        throw e;
      }
    }
    if (!Files.isDirectory(dirOrGguf)) {
      throw new IOException(dirOrGguf + " is neither a .gguf file nor a model directory");
    }
    return fromHfDirectory(dirOrGguf, 0);
  }

  /** A crl checkpoint (verified) when the directory has a manifest, otherwise {@link #loadPretrained}. */
  public static PolicyModel loadPretrainedOrCheckpoint(Path path) throws IOException {
    if (Files.isDirectory(path) && Files.exists(path.resolve(Checkpoint.MANIFEST))) {
      return load(path);
    }
    return loadPretrained(path);
  }

  private static PolicyModel fromHfDirectory(Path dir, long step) throws IOException {
    TorchThreads.configureOnce();
    ModelConfig c = ModelConfig.fromJson(dir.resolve("config.json"));
    Tokenizer tok = Tokenizers.load(dir);
    NDManager m = NDManager.newBaseManager();
    try (NDManager scratch = m.newSubManager()) {
      Map<String, NDArray> tensors = Safetensors.readDirectory(dir, scratch);
      return new PolicyModel(m, Decoder.fromTensors(c, m, tensors), tok, step);
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * Writes weights, config, tokenizer and a manifest with sha256 hashes. The directory may exist;
   * files of an earlier save are overwritten and the manifest is replaced last.
   */
  public void save(Path dir, long step) throws IOException {
    save(dir, step, null);
  }

  /** As {@link #save(Path, long)}, adding the trainer's optimiser state. */
  public void save(Path dir, long step, RlTrainer trainer) throws IOException {
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve(Checkpoint.MANIFEST));
    List<String> files = new ArrayList<>(List.of(Checkpoint.MODEL_FILE, "config.json", "tokenizer.json"));
    Safetensors.write(dir.resolve(Checkpoint.MODEL_FILE), decoder.parameters(), Map.of("format", "pt"));
    decoder.config().writeJson(dir.resolve("config.json"));
    tokenizer.save(dir);
    if (Files.exists(dir.resolve("tokenizer_config.json"))) {
      files.add("tokenizer_config.json");
    }
    if (trainer != null) {
      Safetensors.write(dir.resolve(Checkpoint.OPTIMIZER_FILE), trainer.optimizer().state(),
          Map.of("optimizer_step", Long.toString(trainer.optimizer().step())));
      files.add(Checkpoint.OPTIMIZER_FILE);
    }
    Checkpoint.writeManifest(dir, step, files);
    loadedStep = step;
  }

  /** Restores a trainer's AdamW moments from a checkpoint saved with one. */
  public static void restoreOptimizer(Path dir, RlTrainer trainer) throws IOException {
    Checkpoint.Manifest manifest = Checkpoint.verify(dir);
    if (!manifest.files().containsKey(Checkpoint.OPTIMIZER_FILE)) {
      throw new IOException("checkpoint " + dir + " has no optimizer state");
    }
    try (NDManager scratch = trainer.model().decoder().manager().newSubManager()) {
      Map<String, NDArray> state = Safetensors.read(dir.resolve(Checkpoint.OPTIMIZER_FILE), scratch);
      trainer.optimizer().restore(state, manifest.step());
    }
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  public ModelConfig config() {
    return decoder.config();
  }

  public Decoder decoder() {
    return decoder;
  }

  /** Step recorded in the checkpoint this model was loaded from or last saved to (0 when fresh). */
  public long step() {
    return loadedStep;
  }

  /** Generates one continuation per prompt with the same settings for every row. */
  public List<Generation> generate(List<int[]> prompts, SamplingParams p, long seed) {
    return generator.generate(prompts, Collections.nCopies(prompts.size(), p), seed);
  }

  /** Generates with per-row settings (stop sequences, max new tokens, constraints). */
  public List<Generation> generate(List<int[]> prompts, List<SamplingParams> perRow, long seed) {
    return generator.generate(prompts, perRow, seed);
  }

  /** Encodes text prompts with the tokenizer (no special tokens added) and generates. */
  public List<Generation> generateText(List<String> prompts, SamplingParams p, long seed) {
    List<int[]> ids = new ArrayList<>(prompts.size());
    for (String s : prompts) {
      ids.add(tokenizer.encode(s));
    }
    return generate(ids, p, seed);
  }

  /**
   * Log-probability of every token given the tokens before it, for a batch of sequences, without
   * gradients: {@code result[i][t]} belongs to {@code sequences.get(i)[t]} and {@code result[i][0]}
   * is 0 (nothing predicts the first token). Use it to recompute old or reference log-probabilities.
   */
  public float[][] tokenLogprobs(List<int[]> sequences) {
    float[][] out = new float[sequences.size()][];
    for (int i = 0; i < sequences.size(); i++) {
      int[] seq = sequences.get(i);
      if (seq.length == 0) {
        throw new IllegalArgumentException("sequence " + i + " is empty");
      }
      float[][] logits = logits(seq);
      out[i] = new float[seq.length];
      for (int t = 1; t < seq.length; t++) {
        float[] row = logits[t - 1];
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
          max = Math.max(max, v);
        }
        double z = 0;
        for (float v : row) {
          z += Math.exp(v - max);
        }
        out[i][t] = (float) (row[seq[t]] - max - Math.log(z));
      }
    }
    return out;
  }

  /** Logits at every position for one sequence, [T][V]. */
  public float[][] logits(int[] ids) {
    boolean previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      int t = ids.length;
      long[] l = new long[t];
      float[] pos = new float[t];
      float[] mask = new float[t * t];
      for (int i = 0; i < t; i++) {
        if (ids[i] < 0 || ids[i] >= config().vocabSize()) {
          throw new IllegalArgumentException("token id " + ids[i] + " is outside the vocabulary of " + config().vocabSize());
        }
        l[i] = ids[i];
        pos[i] = i;
        for (int k = i + 1; k < t; k++) {
          mask[i * t + k] = Decoder.MASKED;
        }
      }
      NDManager m = decoder.manager();
      float[] flat = decoder.forward(m.create(l, new Shape(1, t)), m.create(pos, new Shape(1, t)),
          m.create(mask, new Shape(1, 1, 1, t, t)), null, 0, false).toFloatArray();
      int v = config().vocabSize();
      float[][] out = new float[t][v];
      for (int i = 0; i < t; i++) {
        System.arraycopy(flat, i * v, out[i], 0, v);
      }
      return out;
    } finally {
      JniUtils.setGradMode(previous);
    }
  }

  @Override
  public void close() {
    decoder.close();
    manager.close();
  }
}
