package dev.crl.api.payload;

/**
 * A pointer to a model checkpoint in the object store. Workflows pass this, never the weights.
 *
 * @param model {@code actor} or {@code extractor}
 * @param key object-store key of the checkpoint's manifest
 * @param step optimizer steps the checkpoint has seen
 * @param sha256 hash of the manifest, checked when the checkpoint is loaded
 */
public record CheckpointRef(String model, String key, long step, String sha256) {}
