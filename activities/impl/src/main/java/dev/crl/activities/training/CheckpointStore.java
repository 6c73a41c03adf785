package dev.crl.activities.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crl.api.InvalidInputException;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.learning.Checkpoint;
import dev.crl.learning.PolicyModel;
import dev.crl.learning.rl.RlTrainer;
import dev.crl.stores.ObjectKeys;
import dev.crl.stores.ObjectNotFoundException;
import dev.crl.stores.ObjectStore;
import dev.crl.stores.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;

/**
 * Moves model checkpoints between a worker's disk and the object store. A checkpoint is the
 * directory {@link PolicyModel#save} writes; its files go under
 * {@code runs/<run>/checkpoints/<model>/v-<version>/} and its manifest last, so a manifest in the
 * store means the checkpoint is whole. Downloads are verified twice: the manifest against the
 * hash in the {@link CheckpointRef}, every file against the manifest.
 */
public final class CheckpointStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectStore store;
  private final Path cacheRoot;

  public CheckpointStore(ObjectStore store, Path cacheRoot) {
    this.store = store;
    this.cacheRoot = cacheRoot;
  }

  /** Saves {@code model} (and the trainer's optimizer state, if given) as version {@code version}. */
  public CheckpointRef save(String runId, String modelName, long version, PolicyModel model, RlTrainer trainer) {
    ObjectKeys.RunKeys keys = ObjectKeys.run(runId);
    Path dir = cacheRoot.resolve(keys.checkpointPrefix(modelName, version));
    try {
      model.save(dir, version, trainer);
      byte[] manifest = Files.readAllBytes(dir.resolve(Checkpoint.MANIFEST));
      String prefix = keys.checkpointPrefix(modelName, version);
      Iterator<String> files = JSON.readTree(manifest).get("files").fieldNames();
      while (files.hasNext()) {
        String f = files.next();
        store.putFile(prefix + f, dir.resolve(f));
      }
      String manifestKey = keys.checkpointManifest(modelName, version);
      store.put(manifestKey, manifest);
      CheckpointRef ref = new CheckpointRef(modelName, manifestKey, version, Sha256.hex(manifest));
      store.put(keys.latestCheckpointPointer(modelName), JSON.writeValueAsBytes(ref));
      return ref;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save checkpoint " + modelName + " v" + version + ": " + e.getMessage(), e);
    }
  }

  /** The checkpoint at {@code version} if it was saved completely (for idempotent retries). */
  public Optional<CheckpointRef> existing(String runId, String modelName, long version) {
    String manifestKey = ObjectKeys.run(runId).checkpointManifest(modelName, version);
    if (!store.exists(manifestKey)) {
      return Optional.empty();
    }
    byte[] manifest = store.get(manifestKey);
    return Optional.of(new CheckpointRef(modelName, manifestKey, version, Sha256.hex(manifest)));
  }

  /** The newest complete checkpoint of a model, from its pointer object. */
  public Optional<CheckpointRef> latest(String runId, String modelName) {
    try {
      return Optional.of(JSON.readValue(store.get(ObjectKeys.run(runId).latestCheckpointPointer(modelName)),
          CheckpointRef.class));
    } catch (ObjectNotFoundException none) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable checkpoint pointer of " + modelName, e);
    }
  }

  /**
   * Downloads (or finds in the local cache) and verifies a checkpoint; returns its directory.
   *
   * @throws InvalidInputException when the checkpoint is missing or does not match its hashes
   */
  public Path fetch(CheckpointRef ref) {
    String prefix = ref.key().substring(0, ref.key().length() - Checkpoint.MANIFEST.length());
    Path dir = cacheRoot.resolve(prefix);
    try {
      Path localManifest = dir.resolve(Checkpoint.MANIFEST);
      if (Files.isRegularFile(localManifest)
          && Sha256.hex(Files.readAllBytes(localManifest)).equals(ref.sha256())) {
        Checkpoint.verify(dir);
        return dir;
      }
      byte[] manifest;
      try {
        manifest = store.get(ref.key());
      } catch (ObjectNotFoundException missing) {
        throw new InvalidInputException("checkpoint " + ref.key() + " does not exist in " + store);
      }
      if (!Sha256.hex(manifest).equals(ref.sha256())) {
        throw new InvalidInputException("checkpoint manifest " + ref.key() + " does not match its recorded"
            + " sha256 " + ref.sha256() + ": the store holds another or a corrupted checkpoint");
      }
      Files.createDirectories(dir);
      JsonNode files = JSON.readTree(manifest).get("files");
      Iterator<String> names = files.fieldNames();
      while (names.hasNext()) {
        String f = names.next();
        store.getToFile(prefix + f, dir.resolve(f));
      }
      Files.write(localManifest, manifest);
      Checkpoint.verify(dir);
      return dir;
    } catch (IOException e) {
      throw new InvalidInputException("checkpoint " + ref.key() + " is corrupted: " + e.getMessage());
    }
  }
}
