package dev.crl.stores;

import java.nio.file.Path;
import java.util.List;

/**
 * A flat key/value store for run artefacts: checkpoints, trajectories, bank snapshots, reports.
 *
 * <p>Contract shared by every implementation (and checked by the same contract tests):
 *
 * <ul>
 *   <li>Keys follow {@link ObjectKeys#validate(String)}; an invalid key is an {@link
 *       IllegalArgumentException}.
 *   <li>Writes replace the whole object and are atomic for readers: a concurrent {@link #get}
 *       returns the previous bytes or the new bytes, never a prefix of them. Writing the same key
 *       twice is how retries stay idempotent.
 *   <li>{@link #get} of a missing key raises {@link ObjectNotFoundException}; {@link #delete} of a
 *       missing key is a no-op.
 *   <li>{@link #list} matches by plain string prefix (S3 semantics, not directories) and returns
 *       keys in lexicographic order.
 *   <li>Transient faults raise {@link BackendUnavailableException} (retryable), configuration
 *       problems {@link BackendConfigurationException} (not retryable).
 * </ul>
 *
 * <p>For integrity checking on read, wrap the store in {@link VerifiedObjects}.
 */
public interface ObjectStore extends AutoCloseable {

  /** Stores {@code data} under {@code key}, replacing any previous object. */
  void put(String key, byte[] data);

  /** Stores the content of a local file under {@code key}, replacing any previous object. */
  void putFile(String key, Path file);

  /** Returns the whole object. */
  byte[] get(String key);

  /**
   * Copies the object into a local file, creating parent directories. The target appears
   * atomically: it is written next to itself and then moved into place.
   */
  void getToFile(String key, Path target);

  /** Whether an object exists under exactly this key. */
  boolean exists(String key);

  /** All keys that start with {@code prefix} ({@code ""} lists everything), sorted. */
  List<String> list(String prefix);

  /** Removes the object if it exists. */
  void delete(String key);

  /**
   * A human-readable, stable location of a key, for logs and MLflow tags: {@code file:///...} or
   * {@code s3://bucket/prefix/key}.
   */
  String uri(String key);

  /** Releases clients and connection pools. The default does nothing. */
  @Override
  default void close() {}
}
