package dev.crl.stores;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A self-describing record of a group of objects written together (a checkpoint, a bank
 * snapshot, a single report): for each object its key, size and sha256, plus free-form metadata.
 *
 * <p>{@link VerifiedObjects} writes the manifest after all of its objects, so a manifest that
 * exists always describes objects that were completely written.
 *
 * @param formatVersion version of this JSON layout, currently {@value #FORMAT_VERSION}
 * @param entries the objects, in the order they were written
 * @param metadata producer-defined facts (model version, iteration, spec hash...)
 */
public record ObjectManifest(int formatVersion, List<Entry> entries, Map<String, String> metadata) {

  public static final int FORMAT_VERSION = 1;

  public ObjectManifest {
    entries = List.copyOf(entries);
    metadata = Map.copyOf(metadata);
  }

  /** The entry describing {@code key}, if this manifest lists it. */
  @JsonIgnore
  public Optional<Entry> entry(String key) {
    return entries.stream().filter(e -> e.key().equals(key)).findFirst();
  }

  /**
   * One object of the group.
   *
   * @param key the object's key in the store
   * @param size length in bytes
   * @param sha256 lowercase hex SHA-256 of the bytes
   */
  public record Entry(String key, long size, String sha256) {}
}
