package dev.crl.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.crl.api.payload.CheckpointRef;
import dev.crl.learning.PolicyModel;
import dev.crl.learning.sampling.SamplingParams;
import dev.crl.learning.tokenizer.WordTokenizer;
import dev.crl.stores.LocalObjectStore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newer checkpoint must not close a copy another activity is still generating with: the old
 * copy keeps working until its lease is released, and only then is it closed.
 */
class InferenceModelsTest {
  @TempDir Path dir;

  @Test
  void aRetiredModelStaysUsableUntilItsLastLeaseIsReleased() {
    CheckpointStore checkpoints = new CheckpointStore(new LocalObjectStore(dir.resolve("store")), dir.resolve("cache"));
    WordTokenizer tok = WordTokenizer.of(List.of("a", "b", "c", "d"));
    CheckpointRef v1;
    CheckpointRef v2;
    try (PolicyModel m1 = PolicyModel.createTiny("tiny", tok, 1); PolicyModel m2 = PolicyModel.createTiny("tiny", tok, 2)) {
      v1 = checkpoints.save("run", "extractor", 1, m1, null);
      v2 = checkpoints.save("run", "extractor", 2, m2, null);
    }
    int[] prompt = tok.encode("a b c");
    try (InferenceModels models = new InferenceModels(checkpoints)) {
      InferenceModels.Lease old = models.lease(v1);
      try (InferenceModels.Lease newer = models.lease(v2)) {
        assertNotSame(old.model(), newer.model());
        // The distillation that leased v1 before v2 arrived can still generate with it.
        assertEquals(3, old.model().generate(List.of(prompt), SamplingParams.sample(3, 1.0), 5).get(0).tokens().length);
      }
      PolicyModel retired = old.model();
      old.close();
      assertThrows(RuntimeException.class,
          () -> retired.generate(List.of(prompt), SamplingParams.sample(3, 1.0), 5), "released and retired: closed");
      try (InferenceModels.Lease again = models.lease(v2)) {
        assertEquals(3, again.model().generate(List.of(prompt), SamplingParams.sample(3, 1.0), 5).get(0).tokens().length,
            "the current copy stays open with no lease on it");
      }
    }
  }
}
