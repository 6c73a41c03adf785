package dev.crl.learning.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A Hugging Face {@code tokenizer.json} run by DJL's Rust tokenizers, with the special ids and chat
 * template taken from {@code tokenizer_config.json} (or from GGUF metadata).
 */
public final class HfTokenizer implements Tokenizer, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HuggingFaceTokenizer delegate;
  private final byte[] tokenizerJson;
  private final String configJson;
  private final int vocabSize;
  private final int eosId;
  private final int padId;
  private final ChatTemplate chatTemplate;

  /**
   * @param tokenizerJson the raw tokenizer.json
   * @param eosToken text of the end-of-sequence token (must be in the vocabulary)
   * @param padToken text of the padding token, or null to pad with end-of-sequence
   * @param chatTemplate the Jinja chat template, or null
   */
  public HfTokenizer(byte[] tokenizerJson, String bosToken, String eosToken, String padToken, String chatTemplate)
      throws IOException {
    this.tokenizerJson = tokenizerJson.clone();
    this.delegate =
        HuggingFaceTokenizer.newInstance(
            new ByteArrayInputStream(tokenizerJson),
            Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
    JsonNode root = JSON.readTree(tokenizerJson);
    int size = root.path("model").path("vocab").size();
    for (JsonNode added : root.path("added_tokens")) {
      size = Math.max(size, added.path("id").asInt() + 1);
    }
    this.vocabSize = size;
    this.eosId = idOf(eosToken);
    this.padId = padToken == null ? eosId : idOf(padToken);
    this.chatTemplate = chatTemplate == null ? null : new ChatTemplate(chatTemplate, bosToken, eosToken);
    com.fasterxml.jackson.databind.node.ObjectNode cfg = JSON.createObjectNode();
    if (bosToken != null) {
      cfg.put("bos_token", bosToken);
    }
    cfg.put("eos_token", eosToken);
    if (padToken != null) {
      cfg.put("pad_token", padToken);
    }
    if (chatTemplate != null) {
      cfg.put("chat_template", chatTemplate);
    }
    this.configJson = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(cfg);
  }

  /** Loads {@code tokenizer.json} and {@code tokenizer_config.json} from a model directory. */
  public static HfTokenizer fromDirectory(Path dir) throws IOException {
    Path file = dir.resolve("tokenizer.json");
    if (!Files.exists(file)) {
      throw new IOException("no tokenizer.json in " + dir);
    }
    JsonNode cfg = JSON.createObjectNode();
    Path cfgFile = dir.resolve("tokenizer_config.json");
    if (Files.exists(cfgFile)) {
      cfg = JSON.readTree(cfgFile.toFile());
    }
    String eos = tokenText(cfg.get("eos_token"));
    if (eos == null) {
      throw new IOException("tokenizer_config.json in " + dir + " names no eos_token");
    }
    String template = cfg.hasNonNull("chat_template") && cfg.get("chat_template").isTextual()
        ? cfg.get("chat_template").asText() : null;
    return new HfTokenizer(
        Files.readAllBytes(file), tokenText(cfg.get("bos_token")), eos, tokenText(cfg.get("pad_token")), template);
  }

  private static String tokenText(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    return n.isTextual() ? n.asText() : n.path("content").asText(null);
  }

  private int idOf(String token) {
    long id = delegate.encode(token, false, false).getIds().length == 1
        ? delegate.encode(token, false, false).getIds()[0] : -1;
    if (id < 0) {
      throw new IllegalArgumentException("special token '" + token + "' is not a single token of this tokenizer");
    }
    return (int) id;
  }

  @Override
  public int[] encode(String text) {
    Encoding e = delegate.encode(text, false, false);
    long[] ids = e.getIds();
    int[] out = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = (int) ids[i];
    }
    return out;
  }

  @Override
  public String decode(int[] ids) {
    long[] l = new long[ids.length];
    for (int i = 0; i < ids.length; i++) {
      l[i] = ids[i];
    }
    return delegate.decode(l, true);
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public int eosId() {
    return eosId;
  }

  @Override
  public int padId() {
    return padId;
  }

  @Override
  public Optional<ChatTemplate> chatTemplate() {
    return Optional.ofNullable(chatTemplate);
  }

  @Override
  public void save(Path dir) throws IOException {
    Files.write(dir.resolve("tokenizer.json"), tokenizerJson);
    Files.writeString(dir.resolve("tokenizer_config.json"), configJson, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
