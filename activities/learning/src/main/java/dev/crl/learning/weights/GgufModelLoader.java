package dev.crl.learning.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crl.learning.model.Decoder;
import dev.crl.learning.model.ModelConfig;
import dev.crl.learning.tokenizer.HfTokenizer;
import dev.crl.learning.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a llama.cpp GGUF file into our decoder and a working tokenizer: tensors are renamed to
 * Hugging Face names and dequantised, Llama's Q/K rows are put back in Hugging Face's rotary
 * layout, and the tokenizer metadata becomes a Hugging Face tokenizer.json.
 */
public final class GgufModelLoader {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The loaded model and its tokenizer. */
  public record Loaded(Decoder decoder, Tokenizer tokenizer) {}

  private GgufModelLoader() {}

  public static Loaded load(Path file, NDManager manager) throws IOException {
    try (GgufFile g = GgufFile.open(file)) {
      String arch = g.string("general.architecture");
      if (!arch.equals("llama") && !arch.equals("qwen2") && !arch.equals("qwen3")) {
        throw new IOException(file + " holds a '" + arch + "' model; llama, qwen2 and qwen3 are supported");
      }
      ModelConfig config = config(g, arch);
      Map<String, NDArray> tensors = new HashMap<>();
      try (NDManager scratch = manager.newSubManager()) {
        for (GgufFile.TensorInfo t : g.tensors().values()) {
          String name = hfName(t.name());
          if (name == null) {
            continue;
          }
          float[] data = g.read(t);
          if (arch.equals("llama") && name.endsWith("self_attn.q_proj.weight")) {
            data = unpermuteRotary(data, config.numHeads(), t.dims());
          } else if (arch.equals("llama") && name.endsWith("self_attn.k_proj.weight")) {
            data = unpermuteRotary(data, config.numKvHeads(), t.dims());
          }
          tensors.put(name, scratch.create(data, new Shape(t.dims())));
        }
        Decoder decoder = Decoder.fromTensors(config, manager, tensors);
        try {
          return new Loaded(decoder, tokenizer(g));
        } catch (IOException | RuntimeException e) {
          decoder.close();
          throw e;
        }
      }
    }
  }

  private static ModelConfig config(GgufFile g, String arch) throws IOException {
    int hidden = (int) g.number(arch + ".embedding_length");
    int heads = (int) g.number(arch + ".attention.head_count");
    Object kv = g.metadata().get(arch + ".attention.head_count_kv");
    Object vocabKey = g.metadata().get(arch + ".vocab_size");
    int vocab = vocabKey instanceof Number n ? n.intValue() : ((List<?>) g.metadata().get("tokenizer.ggml.tokens")).size();
    Object keyLength = g.metadata().get(arch + ".attention.key_length");
    int headDim = keyLength instanceof Number n ? n.intValue() : hidden / heads;
    Object theta = g.metadata().get(arch + ".rope.freq_base");
    Object eps = g.metadata().get(arch + ".attention.layer_norm_rms_epsilon");
    String hfArch = switch (arch) {
      case "qwen2" -> "Qwen2ForCausalLM";
      case "qwen3" -> "Qwen3ForCausalLM";
      default -> "LlamaForCausalLM";
    };
    boolean tied = !g.tensors().containsKey("output.weight");
    boolean bias = g.tensors().containsKey("blk.0.attn_q.bias");
    return new ModelConfig(hfArch, vocab, hidden, (int) g.number(arch + ".feed_forward_length"),
        (int) g.number(arch + ".block_count"), heads, kv instanceof Number n ? n.intValue() : heads, headDim,
        theta instanceof Number n ? n.doubleValue() : 10000.0, eps instanceof Number n ? n.doubleValue() : 1e-6,
        tied, bias, arch.equals("qwen3"), (int) g.number(arch + ".context_length"));
  }

  private static String hfName(String gguf) {
    if (gguf.equals("token_embd.weight")) {
      return "model.embed_tokens.weight";
    }
    if (gguf.equals("output_norm.weight")) {
      return "model.norm.weight";
    }
    if (gguf.equals("output.weight")) {
      return "lm_head.weight";
    }
    if (!gguf.startsWith("blk.")) {
      return null;
    }
    int dot = gguf.indexOf('.', 4);
    String layer = gguf.substring(4, dot);
    String rest = gguf.substring(dot + 1);
    String mapped = switch (rest) {
      case "attn_norm.weight" -> "input_layernorm.weight";
      case "ffn_norm.weight" -> "post_attention_layernorm.weight";
      case "attn_q.weight" -> "self_attn.q_proj.weight";
      case "attn_k.weight" -> "self_attn.k_proj.weight";
      case "attn_v.weight" -> "self_attn.v_proj.weight";
      case "attn_q.bias" -> "self_attn.q_proj.bias";
      case "attn_k.bias" -> "self_attn.k_proj.bias";
      case "attn_v.bias" -> "self_attn.v_proj.bias";
      case "attn_q_norm.weight" -> "self_attn.q_norm.weight";
      case "attn_k_norm.weight" -> "self_attn.k_norm.weight";
      case "attn_output.weight" -> "self_attn.o_proj.weight";
      case "ffn_gate.weight" -> "mlp.gate_proj.weight";
      case "ffn_up.weight" -> "mlp.up_proj.weight";
      case "ffn_down.weight" -> "mlp.down_proj.weight";
      default -> null;
    };
    return mapped == null ? null : "model.layers." + layer + "." + mapped;
  }

  /**
   * llama.cpp's converter interleaves the two rotary halves of each head's rows; Hugging Face keeps
   * them as two contiguous halves. Row {@code h*D + 2i + s} of the GGUF tensor is row
   * {@code h*D + s*D/2 + i} in Hugging Face order.
   */
  static float[] unpermuteRotary(float[] w, int heads, long[] dims) {
    int rows = (int) dims[0];
    int cols = (int) dims[1];
    int d = rows / heads;
    int half = d / 2;
    float[] out = new float[w.length];
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < half; i++) {
        for (int s = 0; s < 2; s++) {
          int from = h * d + 2 * i + s;
          int to = h * d + s * half + i;
          System.arraycopy(w, from * cols, out, to * cols, cols);
        }
      }
    }
    return out;
  }

  /** Builds a Hugging Face byte-level BPE tokenizer.json from GGUF tokenizer metadata. */
  static Tokenizer tokenizer(GgufFile g) throws IOException {
    String model = g.string("tokenizer.ggml.model");
    if (!model.equals("gpt2")) {
      throw new IOException("GGUF tokenizer model '" + model + "' is not supported; only byte-level BPE (gpt2) is");
    }
    List<?> tokens = (List<?>) g.metadata().get("tokenizer.ggml.tokens");
    List<?> merges = (List<?>) g.metadata().get("tokenizer.ggml.merges");
    List<?> types = (List<?>) g.metadata().get("tokenizer.ggml.token_type");
    if (tokens == null || merges == null) {
      throw new IOException("GGUF file lacks tokenizer.ggml.tokens or merges");
    }
    Object pre = g.metadata().getOrDefault("tokenizer.ggml.pre", "default");
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    ArrayNode added = root.putArray("added_tokens");
    for (int i = 0; i < tokens.size(); i++) {
      int type = types == null ? 1 : ((Number) types.get(i)).intValue();
      // Types 3 (control) and 4 (user-defined) are matched whole, never split by BPE.
      if (type == 3 || type == 4) {
        ObjectNode t = added.addObject();
        t.put("id", i);
        t.put("content", (String) tokens.get(i));
        t.put("single_word", false);
        t.put("lstrip", false);
        t.put("rstrip", false);
        t.put("normalized", false);
        t.put("special", type == 3);
      }
    }
    root.putNull("normalizer");
    root.set("pre_tokenizer", preTokenizer(pre.toString()));
    root.putNull("post_processor");
    ObjectNode decoder = root.putObject("decoder");
    decoder.put("type", "ByteLevel");
    decoder.put("add_prefix_space", true);
    decoder.put("trim_offsets", true);
    decoder.put("use_regex", true);
    ObjectNode bpe = root.putObject("model");
    bpe.put("type", "BPE");
    bpe.putNull("dropout");
    bpe.putNull("unk_token");
    bpe.putNull("continuing_subword_prefix");
    bpe.putNull("end_of_word_suffix");
    bpe.put("fuse_unk", false);
    bpe.put("byte_fallback", false);
    bpe.put("ignore_merges", false);
    ObjectNode vocab = bpe.putObject("vocab");
    for (int i = 0; i < tokens.size(); i++) {
      vocab.put((String) tokens.get(i), i);
    }
    ArrayNode m = bpe.putArray("merges");
    for (Object merge : merges) {
      m.add((String) merge);
    }
    String bos = tokenText(g, tokens, "tokenizer.ggml.bos_token_id");
    String eos = tokenText(g, tokens, "tokenizer.ggml.eos_token_id");
    if (eos == null) {
      throw new IOException("GGUF file names no tokenizer.ggml.eos_token_id");
    }
    String pad = tokenText(g, tokens, "tokenizer.ggml.padding_token_id");
    Object template = g.metadata().get("tokenizer.chat_template");
    return new HfTokenizer(JSON.writeValueAsBytes(root), bos, eos, pad, template instanceof String s ? s : null);
  }

  private static ObjectNode preTokenizer(String pre) throws IOException {
    ObjectNode seq = JSON.createObjectNode();
    seq.put("type", "Sequence");
    ArrayNode list = seq.putArray("pretokenizers");
    switch (pre) {
      case "smollm", "gpt2", "default" -> {
        if (pre.equals("smollm")) {
          list.addObject().put("type", "Digits").put("individual_digits", true);
        }
        list.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", true);
      }
      case "qwen2" -> {
        ObjectNode split = list.addObject();
        split.put("type", "Split");
        split.putObject("pattern").put("Regex",
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");
        split.put("behavior", "Isolated");
        split.put("invert", false);
        list.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", false).put("use_regex", false);
      }
      default -> throw new IOException("GGUF pre-tokenizer '" + pre + "' is not supported (smollm, gpt2, qwen2 are)");
    }
    return seq;
  }

  private static String tokenText(GgufFile g, List<?> tokens, String key) {
    Object id = g.metadata().get(key);
    if (!(id instanceof Number n) || n.intValue() < 0 || n.intValue() >= tokens.size()) {
      return null;
    }
    return (String) tokens.get(n.intValue());
  }
}
