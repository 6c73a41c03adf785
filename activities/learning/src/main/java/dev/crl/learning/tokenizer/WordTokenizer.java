package dev.crl.learning.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Whitespace word-level tokenizer for tiny models trained from scratch. It is saved as a Hugging
 * Face {@code WordLevel} tokenizer.json so the same file also loads in Python.
 */
public final class WordTokenizer implements Tokenizer {
  public static final String PAD = "<pad>";
  public static final String EOS = "<eos>";
  public static final String UNK = "<unk>";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> words;
  private final Map<String, Integer> ids = new HashMap<>();

  private WordTokenizer(List<String> words) {
    this.words = List.copyOf(words);
    for (int i = 0; i < words.size(); i++) {
      if (ids.put(words.get(i), i) != null) {
        throw new IllegalArgumentException("duplicate word in vocabulary: " + words.get(i));
      }
    }
  }

  /** A vocabulary of the three special tokens followed by the given words (duplicates dropped). */
  public static WordTokenizer of(Collection<String> vocabulary) {
    LinkedHashSet<String> all = new LinkedHashSet<>(List.of(PAD, EOS, UNK));
    for (String w : vocabulary) {
      if (w.isBlank() || w.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("vocabulary word must be non-empty without whitespace: '" + w + "'");
      }
      all.add(w);
    }
    return new WordTokenizer(new ArrayList<>(all));
  }

  /** Builds a vocabulary from every whitespace-separated word in the given texts. */
  public static WordTokenizer fromTexts(Collection<String> texts) {
    LinkedHashSet<String> words = new LinkedHashSet<>();
    for (String t : texts) {
      for (String w : t.trim().split("\\s+")) {
        if (!w.isEmpty()) {
          words.add(w);
        }
      }
    }
    return of(words);
  }

  /** Reads the {@code WordLevel} tokenizer.json this class writes. */
  public static WordTokenizer fromJson(JsonNode root) {
    JsonNode vocab = root.path("model").path("vocab");
    if (!root.path("model").path("type").asText().equals("WordLevel") || !vocab.isObject()) {
      throw new IllegalArgumentException("not a WordLevel tokenizer.json");
    }
    String[] byId = new String[vocab.size()];
    Iterator<Map.Entry<String, JsonNode>> it = vocab.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      int id = e.getValue().asInt();
      if (id < 0 || id >= byId.length || byId[id] != null) {
        throw new IllegalArgumentException("WordLevel vocabulary ids must be 0..n-1 without gaps");
      }
      byId[id] = e.getKey();
    }
    return new WordTokenizer(List.of(byId));
  }

  @Override
  public int[] encode(String text) {
    String trimmed = text.trim();
    if (trimmed.isEmpty()) {
      return new int[0];
    }
    String[] parts = trimmed.split("\\s+");
    int[] out = new int[parts.length];
    int unk = ids.get(UNK);
    for (int i = 0; i < parts.length; i++) {
      out[i] = ids.getOrDefault(parts[i], unk);
    }
    return out;
  }

  @Override
  public String decode(int[] tokens) {
    StringBuilder sb = new StringBuilder();
    for (int id : tokens) {
      if (id == padId() || id == eosId()) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(id >= 0 && id < words.size() ? words.get(id) : UNK);
    }
    return sb.toString();
  }

  public int id(String word) {
    Integer id = ids.get(word);
    if (id == null) {
      throw new IllegalArgumentException("word not in vocabulary: " + word);
    }
    return id;
  }

  public List<String> words() {
    return words;
  }

  @Override
  public boolean joinsWithSpace() {
    return true;
  }

  @Override
  public int vocabSize() {
    return words.size();
  }

  @Override
  public int eosId() {
    return ids.get(EOS);
  }

  @Override
  public int padId() {
    return ids.get(PAD);
  }

  @Override
  public void save(Path dir) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    ObjectNode model = root.putObject("model");
    model.put("type", "WordLevel");
    model.put("unk_token", UNK);
    ObjectNode vocab = model.putObject("vocab");
    for (int i = 0; i < words.size(); i++) {
      vocab.put(words.get(i), i);
    }
    root.putObject("pre_tokenizer").put("type", "WhitespaceSplit");
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer.json").toFile(), root);
  }
}
