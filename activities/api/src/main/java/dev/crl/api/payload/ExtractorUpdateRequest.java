package dev.crl.api.payload;

import java.util.List;

/**
 * One CISPO update of the extractor on its buffered samples.
 *
 * @param runId run identifier
 * @param extractorStep the update's index (keys the output checkpoint)
 * @param extractor checkpoint the samples were generated with
 * @param samplesKeys object-store keys of the buffered extractor samples
 */
public record ExtractorUpdateRequest(
    String runId, long extractorStep, CheckpointRef extractor, List<String> samplesKeys) {
  public ExtractorUpdateRequest {
    samplesKeys = List.copyOf(samplesKeys);
  }
}
