package dev.crl.stores;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flattens a resolved run spec (any Jackson-serialisable object, records included) into MLflow
 * parameters: nested fields become dotted keys, list elements get their index, e.g. {@code
 * tasks.0.name = minihack-room}. Characters MLflow does not accept in keys become '_'.
 */
public final class SpecParams {

  private SpecParams() {}

  /** Flattens {@code spec} after converting it to a JSON tree. */
  public static Map<String, String> flatten(Object spec) {
    JsonNode tree = spec instanceof JsonNode node ? node : Json.MAPPER.valueToTree(spec);
    Map<String, String> params = new TreeMap<>();
    flatten("", tree, params);
    return params;
  }

  private static void flatten(String path, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      if (node.isEmpty() && !path.isEmpty()) {
        out.put(path, "{}");
      }
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        flatten(join(path, sanitize(field.getKey())), field.getValue(), out);
      }
    } else if (node.isArray()) {
      if (node.isEmpty() && !path.isEmpty()) {
        out.put(path, "[]");
      }
      for (int i = 0; i < node.size(); i++) {
        flatten(join(path, Integer.toString(i)), node.get(i), out);
      }
    } else {
      out.put(path.isEmpty() ? "value" : path, node.isNull() ? "null" : node.asText());
    }
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String sanitize(String key) {
    String cleaned = key.replaceAll("[^A-Za-z0-9_\\-. /]", "_");
    return cleaned.isEmpty() ? "_" : cleaned;
  }
}
