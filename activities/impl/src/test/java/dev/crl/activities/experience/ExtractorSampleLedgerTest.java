package dev.crl.activities.experience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExtractorSampleLedgerTest {
  private static ExtractorTrainingSample sample(String... entries) {
    return new ExtractorTrainingSample(new int[] {1}, new int[] {2}, new float[] {-1f}, List.of(entries), 0, 1);
  }

  @Test
  void aSampleIsScoredByTheMeanOutcomeOfTheEpisodesThatUsedItsEntry() {
    ExtractorSampleLedger ledger = new ExtractorSampleLedger(100);
    ledger.add(sample("a"));
    ledger.add(sample("b"));
    ledger.recordOutcome("a", true);
    ledger.recordOutcome("a", true);
    ledger.recordOutcome("a", false);
    List<ExtractorTrainingSample> scored = ledger.drainScored();
    assertEquals(1, scored.size(), "only the sample whose entry was used is scored");
    assertEquals(1.0 / 3.0, scored.get(0).reward(), 1e-9);
    assertEquals(1, ledger.size(), "the unused sample keeps waiting");
    assertTrue(ledger.drainScored().isEmpty(), "a scored sample leaves the ledger");
  }

  @Test
  void capacityDropsTheOldestUnscoredSamples() {
    ExtractorSampleLedger ledger = new ExtractorSampleLedger(2);
    ledger.add(sample("a"));
    ledger.add(sample("b"));
    ledger.add(sample("c"));
    ledger.recordOutcome("a", true);
    assertTrue(ledger.drainScored().isEmpty(), "the oldest sample was dropped");
    assertEquals(2, ledger.size());
  }
}
