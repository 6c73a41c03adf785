package dev.crl.api.payload;

import java.util.Map;

/**
 * Outcome of one actor or extractor update.
 *
 * @param checkpoint the checkpoint written after the update
 * @param stats loss, grad_norm, clip_fraction, entropy, tokens_per_second, samples ...
 */
public record TrainResult(CheckpointRef checkpoint, Map<String, Double> stats) {
  public TrainResult {
    stats = Map.copyOf(stats);
  }
}
