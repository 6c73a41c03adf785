package dev.crl.activities.training;

import dev.crl.api.payload.CheckpointRef;
import dev.crl.learning.PolicyModel;
import dev.crl.learning.rl.OptimizerConfig;
import dev.crl.learning.rl.RlTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A model under training with its optimizer, kept between updates. When the next update starts
 * from the checkpoint this slot last wrote, the live model and optimizer are reused; otherwise
 * (another worker trained it, or this worker restarted) they are loaded from the checkpoint,
 * optimizer state included. A retried update therefore always starts from the checkpoint named in
 * its input, never from half-updated weights.
 */
public final class TrainerSlot implements AutoCloseable {
  private final CheckpointStore checkpoints;
  private PolicyModel model;
  private RlTrainer trainer;
  private String currentKey;

  public TrainerSlot(CheckpointStore checkpoints) {
    this.checkpoints = checkpoints;
  }

  /** The trainer positioned at {@code ref}. */
  public synchronized RlTrainer at(CheckpointRef ref, OptimizerConfig optimizer) {
    if (trainer != null && ref.key().equals(currentKey) && trainer.config().equals(optimizer)) {
      return trainer;
    }
    close();
    Path dir = checkpoints.fetch(ref);
    try {
      model = PolicyModel.load(dir);
      trainer = new RlTrainer(model, optimizer);
      if (dir.resolve(dev.crl.learning.Checkpoint.OPTIMIZER_FILE).toFile().isFile()) {
        PolicyModel.restoreOptimizer(dir, trainer);
      }
      currentKey = ref.key();
      return trainer;
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot load checkpoint " + ref.key() + ": " + e.getMessage(), e);
    }
  }

  /** Records that the live model now is the checkpoint {@code ref} (after saving it). */
  public synchronized void advancedTo(CheckpointRef ref) {
    currentKey = ref.key();
  }

  /** Forgets the live model, e.g. after a failed update left it in an unknown state. */
  public synchronized void invalidate() {
    close();
  }

  @Override
  public synchronized void close() {
    if (trainer != null) {
      trainer.close();
    }
    if (model != null) {
      model.close();
    }
    trainer = null;
    model = null;
    currentKey = null;
  }
}
