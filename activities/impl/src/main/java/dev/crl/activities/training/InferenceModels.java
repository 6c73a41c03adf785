package dev.crl.activities.training;

import dev.crl.api.payload.CheckpointRef;
import dev.crl.learning.PolicyModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The models a worker generates with, one per model name, each at the checkpoint most recently
 * asked for. Loading a newer checkpoint closes the older copy; a copy in use by a trainer is
 * never shared, so training can change its weights while rollouts read these.
 */
public final class InferenceModels implements AutoCloseable {
  private final CheckpointStore checkpoints;
  private final Map<String, Loaded> byName = new HashMap<>();

  private record Loaded(String key, PolicyModel model) {}

  public InferenceModels(CheckpointStore checkpoints) {
    this.checkpoints = checkpoints;
  }

  /** The model at {@code ref}, loading and verifying it on first use. */
  public synchronized PolicyModel get(CheckpointRef ref) {
    Loaded loaded = byName.get(ref.model());
    if (loaded != null && loaded.key().equals(ref.key())) {
      return loaded.model();
    }
    PolicyModel model;
    try {
      model = PolicyModel.load(checkpoints.fetch(ref));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load checkpoint " + ref.key() + ": " + e.getMessage(), e);
    }
    if (loaded != null) {
      loaded.model().close();
    }
    byName.put(ref.model(), new Loaded(ref.key(), model));
    return model;
  }

  @Override
  public synchronized void close() {
    byName.values().forEach(l -> l.model().close());
    byName.clear();
  }
}
