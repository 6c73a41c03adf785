package dev.crl.api.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crl.api.payload.HyperparameterChange;
import java.util.List;

/**
 * Applies a change to one algorithm hyperparameter of a running run with the same rules as the
 * spec file, so a running run can never be driven into a state its spec could not describe.
 * Pure and deterministic: safe to call from workflow code.
 */
public final class HyperparameterChanges {
  private HyperparameterChanges() {}

  /**
   * Returns {@code current} with {@code change} applied.
   *
   * @throws SpecException naming the field when the key is unknown or the value is not allowed
   */
  public static AlgorithmSpec apply(AlgorithmSpec current, HyperparameterChange change) {
    ObjectMapper yaml = RunSpecLoader.yamlMapper();
    String source = "hyperparameter change";
    String field = change.field() == null ? "" : change.field().strip();
    ObjectNode tree = yaml.valueToTree(current);
    String[] parts = field.split("\\.");
    ObjectNode parent = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = parent.get(parts[i]);
      if (!(child instanceof ObjectNode obj)) {
        throw unknown(source, field, tree);
      }
      parent = obj;
    }
    String leaf = parts[parts.length - 1];
    if (field.isEmpty() || !parent.has(leaf) || parent.get(leaf).isObject()) {
      throw unknown(source, field, tree);
    }
    try {
      parent.set(leaf, yaml.readTree(change.value() == null ? "" : change.value()));
      AlgorithmSpec updated = yaml.treeToValue(tree, AlgorithmSpec.class);
      List<SpecProblem> problems = RunSpecValidator.validateAlgorithm(updated);
      if (!problems.isEmpty()) {
        throw new SpecException(source, problems);
      }
      return updated;
    } catch (JsonProcessingException e) {
      throw new SpecException(source, List.of(new SpecProblem("algorithm." + field,
          change.value(), "a value of the field's type (" + e.getOriginalMessage() + ")")));
    }
  }

  private static SpecException unknown(String source, String field, JsonNode tree) {
    List<String> keys = new java.util.ArrayList<>();
    tree.fieldNames().forEachRemaining(keys::add);
    return new SpecException(source, List.of(new SpecProblem("algorithm." + field, field,
        "an algorithm key: " + String.join(", ", keys.stream().sorted().toList()))));
  }
}
