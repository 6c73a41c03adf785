package dev.crl.api.payload;

import java.util.List;

/**
 * Finished episodes to distil into experience-bank operations.
 *
 * @param runId run identifier
 * @param iteration iteration the episodes come from
 * @param extractor extractor checkpoint to distil with
 * @param trajectoriesKeys object-store keys of the trajectory shards
 */
public record DistillRequest(
    String runId, int iteration, CheckpointRef extractor, List<String> trajectoriesKeys) {
  public DistillRequest {
    trajectoriesKeys = List.copyOf(trajectoriesKeys);
  }
}
