package dev.crl.learning.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Shape of a decoder-only transformer in the Llama / Qwen2 / Qwen3 family, read from (and written
 * as) a Hugging Face {@code config.json} so that checkpoints stay loadable by other tools.
 */
public record ModelConfig(
    String architecture,
    int vocabSize,
    int hiddenSize,
    int intermediateSize,
    int numLayers,
    int numHeads,
    int numKvHeads,
    int headDim,
    double ropeTheta,
    double rmsNormEps,
    boolean tieWordEmbeddings,
    boolean attentionBias,
    boolean qkNorm,
    int maxPositions) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ModelConfig {
    if (vocabSize <= 0 || hiddenSize <= 0 || numLayers <= 0 || numHeads <= 0 || numKvHeads <= 0) {
      throw new IllegalArgumentException("model config has a non-positive size: " + this);
    }
    if (numHeads % numKvHeads != 0) {
      throw new IllegalArgumentException(
          "num_attention_heads " + numHeads + " is not a multiple of num_key_value_heads " + numKvHeads);
    }
    if (headDim % 2 != 0) {
      throw new IllegalArgumentException("head_dim must be even for rotary embeddings, got " + headDim);
    }
  }

  /** Number of query heads that share one key/value head. */
  public int groupSize() {
    return numHeads / numKvHeads;
  }

  /**
   * Small presets for models trained from scratch on a CPU. Names: {@code tiny} (2 layers, width
   * 128), {@code small} (4 layers, width 256); a suffix {@code -qwen2} or {@code -qwen3} switches
   * the family.
   */
  public static ModelConfig preset(String name, int vocabSize) {
    String[] parts = name.toLowerCase(Locale.ROOT).split("-", 2);
    String family = parts.length > 1 ? parts[1] : "llama";
    String arch =
        switch (family) {
          case "llama" -> "LlamaForCausalLM";
          case "qwen2" -> "Qwen2ForCausalLM";
          case "qwen3" -> "Qwen3ForCausalLM";
          default -> throw new IllegalArgumentException("unknown preset family '" + family + "' in " + name);
        };
    boolean bias = family.equals("qwen2");
    boolean qkNorm = family.equals("qwen3");
    return switch (parts[0]) {
      case "tiny" -> new ModelConfig(arch, vocabSize, 128, 256, 2, 4, 2, 32, 10000.0, 1e-5, true, bias, qkNorm, 512);
      case "small" -> new ModelConfig(arch, vocabSize, 256, 512, 4, 8, 4, 32, 10000.0, 1e-5, true, bias, qkNorm, 1024);
      default -> throw new IllegalArgumentException(
          "unknown preset '" + name + "'; expected tiny or small, optionally with -llama, -qwen2 or -qwen3");
    };
  }

  /** Reads a Hugging Face {@code config.json}. */
  public static ModelConfig fromJson(Path file) throws IOException {
    return fromJson(JSON.readTree(file.toFile()));
  }

  public static ModelConfig fromJson(JsonNode n) {
    String arch = n.path("architectures").path(0).asText("");
    String type = n.path("model_type").asText("");
    if (arch.isEmpty()) {
      arch = switch (type) {
        case "qwen2" -> "Qwen2ForCausalLM";
        case "qwen3" -> "Qwen3ForCausalLM";
        default -> "LlamaForCausalLM";
      };
    }
    if (!arch.equals("LlamaForCausalLM") && !arch.equals("Qwen2ForCausalLM") && !arch.equals("Qwen3ForCausalLM")) {
      throw new IllegalArgumentException("unsupported architecture " + arch + "; expected Llama, Qwen2 or Qwen3");
    }
    JsonNode scaling = n.path("rope_scaling");
    if (scaling.isObject() && !scaling.path("rope_type").asText(scaling.path("type").asText("default")).equals("default")) {
      throw new IllegalArgumentException("rope_scaling " + scaling + " is not supported yet");
    }
    int hidden = need(n, "hidden_size");
    int heads = need(n, "num_attention_heads");
    boolean qwen2 = arch.startsWith("Qwen2");
    return new ModelConfig(
        arch,
        need(n, "vocab_size"),
        hidden,
        need(n, "intermediate_size"),
        need(n, "num_hidden_layers"),
        heads,
        n.path("num_key_value_heads").asInt(heads),
        n.hasNonNull("head_dim") ? n.get("head_dim").asInt() : hidden / heads,
        n.path("rope_theta").asDouble(10000.0),
        n.path("rms_norm_eps").asDouble(1e-6),
        n.path("tie_word_embeddings").asBoolean(false),
        qwen2 || n.path("attention_bias").asBoolean(false),
        arch.startsWith("Qwen3"),
        n.path("max_position_embeddings").asInt(2048));
  }

  private static int need(JsonNode n, String key) {
    if (!n.hasNonNull(key)) {
      throw new IllegalArgumentException("config.json lacks required key '" + key + "'");
    }
    return n.get(key).asInt();
  }

  /** The Hugging Face {@code config.json} form of this configuration. */
  public ObjectNode toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.putArray("architectures").add(architecture);
    n.put("model_type", architecture.startsWith("Qwen3") ? "qwen3" : architecture.startsWith("Qwen2") ? "qwen2" : "llama");
    n.put("vocab_size", vocabSize);
    n.put("hidden_size", hiddenSize);
    n.put("intermediate_size", intermediateSize);
    n.put("num_hidden_layers", numLayers);
    n.put("num_attention_heads", numHeads);
    n.put("num_key_value_heads", numKvHeads);
    n.put("head_dim", headDim);
    n.put("rope_theta", ropeTheta);
    n.put("rms_norm_eps", rmsNormEps);
    n.put("tie_word_embeddings", tieWordEmbeddings);
    n.put("attention_bias", attentionBias);
    n.put("max_position_embeddings", maxPositions);
    n.put("hidden_act", "silu");
    n.put("torch_dtype", "float32");
    return n;
  }

  public void writeJson(Path file) throws IOException {
    JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), toJson());
  }
}
