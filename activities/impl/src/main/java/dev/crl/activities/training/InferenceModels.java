package dev.crl.activities.training;

import dev.crl.api.payload.CheckpointRef;
import dev.crl.learning.PolicyModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The models a worker generates with, one per model name, each at the checkpoint most recently
 * asked for. A copy in use by a trainer is never shared, so training can change its weights while
 * rollouts read these.
 *
 * <p>Callers hold a {@link Lease} while they use a model. Several activities of one worker run at
 * once (distillation and a bank merge both generate with the extractor), so a newer checkpoint
 * can arrive while an older copy is still generating: the older copy is then retired and closed
 * only when its last lease is released. Closing it at once would free native tensors under a
 * running forward pass, which crashes the process rather than failing one activity.
 */
public final class InferenceModels implements AutoCloseable {
  private final CheckpointStore checkpoints;
  private final Map<String, Loaded> byName = new HashMap<>();
  private boolean closed;

  /** One loaded copy and the number of leases on it; guarded by the enclosing instance. */
  private static final class Loaded {
    final String key;
    final PolicyModel model;
    int leases;
    boolean retired;

    Loaded(String key, PolicyModel model) {
      this.key = key;
      this.model = model;
    }
  }

  /** The use of one model; closing the lease lets a retired copy be closed. */
  public final class Lease implements AutoCloseable {
    private final Loaded loaded;
    private boolean released;

    private Lease(Loaded loaded) {
      this.loaded = loaded;
    }

    public PolicyModel model() {
      return loaded.model;
    }

    @Override
    public void close() {
      synchronized (InferenceModels.this) {
        if (released) {
          return;
        }
        released = true;
        loaded.leases--;
        if (loaded.retired && loaded.leases == 0) {
          loaded.model.close();
        }
      }
    }
  }

  public InferenceModels(CheckpointStore checkpoints) {
    this.checkpoints = checkpoints;
  }

  /** A lease on the model at {@code ref}, loading and verifying it on first use. */
  public synchronized Lease lease(CheckpointRef ref) {
    if (closed) {
      throw new IllegalStateException("the worker's inference models are closed");
    }
    Loaded loaded = byName.get(ref.model());
    if (loaded == null || !loaded.key.equals(ref.key())) {
      PolicyModel model;
      try {
        model = PolicyModel.load(checkpoints.fetch(ref));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load checkpoint " + ref.key() + ": " + e.getMessage(), e);
      }
      if (loaded != null) {
        retire(loaded);
      }
      loaded = new Loaded(ref.key(), model);
      byName.put(ref.model(), loaded);
    }
    loaded.leases++;
    return new Lease(loaded);
  }

  /** Loads the model at {@code ref} ahead of its first use (a warm-up), without keeping a lease. */
  public void preload(CheckpointRef ref) {
    lease(ref).close();
  }

  private void retire(Loaded loaded) {
    loaded.retired = true;
    if (loaded.leases == 0) {
      loaded.model.close();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    byName.values().forEach(this::retire);
    byName.clear();
  }
}
