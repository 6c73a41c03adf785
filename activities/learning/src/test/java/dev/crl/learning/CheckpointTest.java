package dev.crl.learning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.learning.rl.OptimizerConfig;
import dev.crl.learning.rl.RlSample;
import dev.crl.learning.rl.RlTrainer;
import dev.crl.learning.rl.TrainStepResult;
import dev.crl.learning.tokenizer.WordTokenizer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints round-trip exactly, resume training identically, and refuse corruption. */
class CheckpointTest {
  private static final WordTokenizer TOK = WordTokenizer.of(List.of("a", "b", "c", "d", "e"));

  private static List<RlSample> batch() {
    int[] ids = TOK.encode("a b c d e a b");
    boolean[] mask = {false, false, false, true, true, true, true};
    return List.of(RlSample.of(ids, mask, null, 0));
  }

  @Test
  void savedModelAndOptimizerResumeIdentically(@TempDir Path dir) throws IOException {
    OptimizerConfig opt = OptimizerConfig.builder().setLearningRate(1e-2).build();
    int[] probe = TOK.encode("a b c");
    try (PolicyModel model = PolicyModel.createTiny("tiny", TOK, 1); RlTrainer trainer = new RlTrainer(model, opt)) {
      trainer.sftStep(batch());
      model.save(dir.resolve("ckpt"), 1, trainer);
      TrainStepResult next = trainer.sftStep(batch());
      float[][] after = model.logits(probe);
      try (PolicyModel loaded = PolicyModel.load(dir.resolve("ckpt")); RlTrainer resumed = new RlTrainer(loaded, opt)) {
        assertEquals(1, loaded.step());
        PolicyModel.restoreOptimizer(dir.resolve("ckpt"), resumed);
        TrainStepResult again = resumed.sftStep(batch());
        assertEquals(next.loss(), again.loss(), 1e-6);
        float[][] resumedLogits = loaded.logits(probe);
        for (int i = 0; i < after.length; i++) {
          assertArrayEquals(after[i], resumedLogits[i], 1e-5f);
        }
      }
    }
  }

  @Test
  void corruptedOrIncompleteCheckpointsAreRefused(@TempDir Path dir) throws IOException {
    Path ckpt = dir.resolve("ckpt");
    try (PolicyModel model = PolicyModel.createTiny("tiny", TOK, 1)) {
      model.save(ckpt, 7);
    }
    try (RandomAccessFile f = new RandomAccessFile(ckpt.resolve("model.safetensors").toFile(), "rw")) {
      f.seek(f.length() - 3);
      f.write(new byte[] {1, 2, 3});
    }
    IOException corrupted = assertThrows(IOException.class, () -> PolicyModel.load(ckpt));
    assertTrue(corrupted.getMessage().contains("corrupted") && corrupted.getMessage().contains("model.safetensors"),
        corrupted.getMessage());
    Files.delete(ckpt.resolve("manifest.json"));
    IOException incomplete = assertThrows(IOException.class, () -> PolicyModel.load(ckpt));
    assertTrue(incomplete.getMessage().contains("manifest.json"), incomplete.getMessage());
  }

  @Test
  void mismatchedConfigIsRefusedWithTensorNames(@TempDir Path dir) throws IOException {
    Path ckpt = dir.resolve("ckpt");
    try (PolicyModel model = PolicyModel.createTiny("tiny", TOK, 1)) {
      model.save(ckpt, 1);
    }
    String config = Files.readString(ckpt.resolve("config.json")).replace("\"num_hidden_layers\" : 2", "\"num_hidden_layers\" : 3");
    Files.writeString(ckpt.resolve("config.json"), config);
    IOException e = assertThrows(IOException.class, () -> PolicyModel.load(ckpt));
    assertTrue(e.getMessage().contains("config.json"), e.getMessage());
  }
}
