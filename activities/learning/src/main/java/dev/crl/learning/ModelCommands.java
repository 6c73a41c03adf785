package dev.crl.learning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crl.learning.sampling.Generation;
import dev.crl.learning.sampling.SamplingParams;
import dev.crl.learning.tokenizer.ChatTemplate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of {@code crl model logits} and {@code crl model chat}, so the CLI in workers/ only
 * parses arguments.
 */
public final class ModelCommands {
  private ModelCommands() {}

  /** Parses "1,2,3" into token ids, refusing anything else with a clear message. */
  public static int[] parseIds(String csv) {
    String[] parts = csv.trim().split("\\s*,\\s*");
    int[] ids = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        ids[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--ids must be comma-separated integers, got '" + parts[i] + "'");
      }
    }
    return ids;
  }

  /** {@code {"logits": [[...], ...]}}, one row per position. */
  public static String logitsJson(Path model, int[] ids) throws IOException {
    try (PolicyModel m = PolicyModel.loadPretrainedOrCheckpoint(model)) {
      float[][] logits = m.logits(ids);
      ObjectMapper json = new ObjectMapper();
      ObjectNode root = json.createObjectNode();
      ArrayNode rows = root.putArray("logits");
      for (float[] row : logits) {
        ArrayNode r = rows.addArray();
        for (float v : row) {
          r.add(v);
        }
      }
      return json.writeValueAsString(root);
    }
  }

  /**
   * Reads user lines until EOF or "/exit", answering each with the model's chat template applied
   * to the whole conversation.
   */
  public static void chat(Path model, BufferedReader in, PrintStream out, SamplingParams params, long seed) throws IOException {
    try (PolicyModel m = PolicyModel.loadPretrainedOrCheckpoint(model)) {
      ChatTemplate template = m.tokenizer().chatTemplate().orElseThrow(
          () -> new IllegalArgumentException(model + " has no chat template; chat needs an instruction-tuned model"));
      List<ChatTemplate.Message> history = new ArrayList<>();
      out.print("> ");
      out.flush();
      String line;
      long turn = 0;
      while ((line = in.readLine()) != null && !line.strip().equals("/exit")) {
        history.add(new ChatTemplate.Message("user", line));
        int[] prompt = m.tokenizer().encode(template.render(history, true));
        Generation g = m.generate(List.of(prompt), params, seed + turn++).get(0);
        history.add(new ChatTemplate.Message("assistant", g.text()));
        out.println(g.text());
        out.print("> ");
        out.flush();
      }
    }
  }
}
