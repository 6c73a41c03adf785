package dev.crl.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.api.payload.EvalResult;
import dev.crl.api.payload.RolloutRequest;
import dev.crl.api.payload.RunState;
import dev.crl.api.payload.RunSummary;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The baselines are modes of one workflow; each mode calls exactly the activities it needs. */
class BaselineModesTest {

  private static RunSummary runMode(WorkflowTestHarness harness, String mode) {
    // A small buffer so a learning extractor updates within four iterations.
    return harness.run(RunState.fresh(mode.replace('_', '-'),
        TestSpecs.run(4, 2, 0, Map.of("mode", mode, "extractor_buffer", "16"))));
  }

  @Test
  void grpoUsesNoExperienceAtAll() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      RunSummary summary = runMode(harness, "grpo");
      CallLog log = harness.log;
      assertEquals(4, log.count("updateActor"));
      for (String method : new String[] {"retrieve", "distill", "mergeBank", "snapshotBank",
          "restoreBank", "updateExtractor"}) {
        assertEquals(0, log.count(method), method);
      }
      assertTrue(log.of("rollout").stream().map(c -> c.<RolloutRequest>arg(0))
          .allMatch(r -> r.plan().guidedPerGroup() == 0 && r.assignmentsKey() == null));
      EvalResult last = summary.evalHistory().get(summary.evalHistory().size() - 1);
      assertTrue(Double.isNaN(last.successWith()), "no experience column without experience");
      assertEquals(0.3, last.successWithout(), 1e-9);
      assertEquals(null, summary.bank());
    }
  }

  @Test
  void staticExtractorFillsTheBankButNeverTrainsTheExtractor() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      RunSummary summary = runMode(harness, "static_extractor");
      CallLog log = harness.log;
      assertEquals(4, log.count("updateActor"));
      assertEquals(4, log.count("distill"));
      assertTrue(log.count("retrieve") > 0);
      assertEquals(0, log.count("updateExtractor"));
      assertEquals(0, summary.extractor().step());
      assertTrue(log.of("distill").stream()
          .allMatch(c -> c.<dev.crl.api.payload.DistillRequest>arg(0).extractor().step() == 0));
    }
  }

  @Test
  void experienceOnlyFreezesTheActorAndTrainsTheExtractor() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      RunSummary summary = runMode(harness, "experience_only");
      CallLog log = harness.log;
      assertEquals(0, log.count("updateActor"));
      assertTrue(log.count("updateExtractor") >= 1);
      assertEquals(4, log.count("distill"));
      assertEquals(0, summary.actor().step(), "the actor stays the initial checkpoint");
      assertEquals(4, summary.iterations());
      assertEquals(2, log.count("mergeBank"), "merges follow iterations when the actor is frozen");
    }
  }

  @Test
  void mergeEveryZeroNeverMerges() {
    try (WorkflowTestHarness harness = new WorkflowTestHarness()) {
      RunSummary summary = harness.run(RunState.fresh("no-merge",
          TestSpecs.run(3, 0, 0, Map.of("merge_every", "0"))));
      assertEquals("completed", summary.status());
      assertEquals(0, harness.log.count("mergeBank"));
      assertEquals(3, harness.log.count("distill"));
    }
  }
}
