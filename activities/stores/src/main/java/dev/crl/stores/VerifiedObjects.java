package dev.crl.stores;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Integrity on top of any {@link ObjectStore}: objects are written together with a manifest that
 * records their sha256 and size, and reads through this class refuse bytes that do not match.
 *
 * <p>The manifest is always written after the objects it lists. Hence "the manifest exists"
 * means "every listed object was completely written", which is what makes a multi-file
 * checkpoint appear atomically to readers that start from the manifest.
 */
public final class VerifiedObjects {

  /** Suffix of the manifest that {@link #putVerified} writes next to a single object. */
  public static final String MANIFEST_SUFFIX = ".manifest.json";

  private final ObjectStore store;

  public VerifiedObjects(ObjectStore store) {
    this.store = store;
  }

  /** The underlying store. */
  public ObjectStore store() {
    return store;
  }

  /** The key of the manifest {@link #putVerified} writes for {@code key}. */
  public static String manifestKeyFor(String key) {
    return ObjectKeys.validate(key) + MANIFEST_SUFFIX;
  }

  /** Writes one object and then its manifest at {@link #manifestKeyFor(String)}. */
  public ObjectManifest putVerified(String key, byte[] data) {
    return putWithManifest(manifestKeyFor(key), Map.of(key, data), Map.of());
  }

  /**
   * Reads an object written by {@link #putVerified} and checks it against its manifest.
   *
   * @throws ObjectNotFoundException when the object or its manifest is missing
   * @throws CorruptObjectException when the bytes do not match the manifest
   */
  public byte[] getVerified(String key) {
    String manifestKey = manifestKeyFor(key);
    try {
      return get(readManifest(manifestKey), key);
    } catch (CorruptObjectException firstMismatch) {
      // A writer replacing the object between our two reads produces one transient mismatch;
      // reading the pair again tells that apart from real corruption.
      return get(readManifest(manifestKey), key);
    }
  }

  /**
   * Writes a group of objects in the map's iteration order, then a manifest describing them.
   *
   * @param manifestKey where the manifest goes (e.g. {@link ObjectKeys.RunKeys#checkpointManifest})
   * @param objects key to content; use a {@link LinkedHashMap} to control the write order
   * @param metadata stored verbatim in the manifest
   */
  public ObjectManifest putWithManifest(
      String manifestKey, Map<String, byte[]> objects, Map<String, String> metadata) {
    List<ObjectManifest.Entry> entries = new ArrayList<>();
    for (Map.Entry<String, byte[]> object : objects.entrySet()) {
      store.put(object.getKey(), object.getValue());
      entries.add(
          new ObjectManifest.Entry(
              object.getKey(), object.getValue().length, Sha256.hex(object.getValue())));
    }
    return writeManifest(manifestKey, entries, metadata);
  }

  /** Like {@link #putWithManifest} for local files (checkpoint shards, compressed trajectories). */
  public ObjectManifest putFilesWithManifest(
      String manifestKey, Map<String, Path> files, Map<String, String> metadata) {
    List<ObjectManifest.Entry> entries = new ArrayList<>();
    for (Map.Entry<String, Path> file : files.entrySet()) {
      Path path = file.getValue();
      String sha;
      long size;
      try {
        sha = Sha256.hex(path);
        size = Files.size(path);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read local file " + path + ": " + e, e);
      }
      store.putFile(file.getKey(), path);
      entries.add(new ObjectManifest.Entry(file.getKey(), size, sha));
    }
    return writeManifest(manifestKey, entries, metadata);
  }

  /** Reads and parses a manifest. */
  public ObjectManifest readManifest(String manifestKey) {
    byte[] json = store.get(manifestKey);
    try {
      ObjectManifest manifest = Json.MAPPER.readValue(json, ObjectManifest.class);
      if (manifest.formatVersion() != ObjectManifest.FORMAT_VERSION || manifest.entries() == null) {
        throw new CorruptObjectException(
            "manifest " + store.uri(manifestKey) + " has unsupported format " + manifest.formatVersion());
      }
      return manifest;
    } catch (IOException e) {
      throw new CorruptObjectException(
          "manifest " + store.uri(manifestKey) + " is not valid JSON: " + e.getMessage());
    }
  }

  /** Reads one object listed in {@code manifest} and checks its size and sha256. */
  public byte[] get(ObjectManifest manifest, String key) {
    ObjectManifest.Entry entry = entryOrFail(manifest, key);
    byte[] data = store.get(key);
    check(entry, data.length, Sha256.hex(data));
    return data;
  }

  /**
   * Downloads one object listed in {@code manifest} to {@code target}, checking it before it
   * becomes visible under the target name.
   */
  public void getToFile(ObjectManifest manifest, String key, Path target) {
    ObjectManifest.Entry entry = entryOrFail(manifest, key);
    Path absolute = target.toAbsolutePath();
    Path tmp = absolute.resolveSibling(ObjectKeys.TEMP_MARKER + absolute.getFileName() + "-" + UUID.randomUUID());
    try {
      store.getToFile(key, tmp);
      check(entry, Files.size(tmp), Sha256.hex(tmp));
      Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new BackendUnavailableException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // Best effort: the temporary name is recognisable and harmless.
      }
    }
  }

  /** Reads and checks every object of a manifest; returns the number of bytes verified. */
  public long verifyAll(ObjectManifest manifest) {
    long total = 0;
    for (ObjectManifest.Entry entry : manifest.entries()) {
      total += get(manifest, entry.key()).length;
    }
    return total;
  }

  private ObjectManifest writeManifest(
      String manifestKey, List<ObjectManifest.Entry> entries, Map<String, String> metadata) {
    ObjectManifest manifest =
        new ObjectManifest(ObjectManifest.FORMAT_VERSION, entries, new LinkedHashMap<>(metadata));
    try {
      store.put(manifestKey, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
    } catch (IOException e) {
      throw new IllegalStateException("a manifest always serialises", e);
    }
    return manifest;
  }

  private ObjectManifest.Entry entryOrFail(ObjectManifest manifest, String key) {
    return manifest
        .entry(key)
        .orElseThrow(() -> new IllegalArgumentException("manifest does not list key " + key));
  }

  private void check(ObjectManifest.Entry entry, long size, String sha256) {
    if (size != entry.size() || !sha256.equals(entry.sha256())) {
      throw new CorruptObjectException(
          "object "
              + store.uri(entry.key())
              + " is corrupt: manifest says "
              + entry.size()
              + " bytes with sha256 "
              + entry.sha256()
              + ", store returned "
              + size
              + " bytes with sha256 "
              + sha256
              + ". Rewrite it from its producer (rerun the activity that wrote it).");
    }
  }
}
