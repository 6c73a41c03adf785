package dev.crl.api.payload;

import java.util.Map;

/**
 * Outcome of distilling finished episodes into bank operations.
 *
 * @param samplesKey object-store key of the extractor training samples produced, or null
 * @param samples number of extractor samples produced
 * @param bankSize entries in the bank afterwards
 * @param bankVersion monotonically increasing bank version afterwards
 * @param stats operation counts: added, updated, returned, rejected ...
 */
public record DistillResult(
    String samplesKey, int samples, int bankSize, long bankVersion, Map<String, Double> stats) {
  public DistillResult {
    stats = Map.copyOf(stats);
  }
}
