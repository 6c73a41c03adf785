package dev.crl.api.spec;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What the spec validator needs to know about the rest of the system: which environment ids exist
 * and which named task mixtures are bundled. Supplied by the caller so that this module does not
 * depend on the environments module.
 *
 * @param environmentIds known environment ids ({@code remote:<url>} is always accepted)
 * @param mixtures resolves a mixture name to environment weights
 * @param mixtureNames known mixture names, for error messages
 */
public record SpecContext(
    Set<String> environmentIds,
    Function<String, Optional<Map<String, Double>>> mixtures,
    Set<String> mixtureNames) {

  /** Whether {@code id} names a known or remote environment. */
  public boolean isEnvironment(String id) {
    return id != null && (environmentIds.contains(id) || id.startsWith("remote:http"));
  }
}
