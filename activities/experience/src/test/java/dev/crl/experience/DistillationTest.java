package dev.crl.experience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.experience.AppliedOperation.Kind;
import dev.crl.experience.embedding.Embedder;
import dev.crl.experience.embedding.ForwardingEmbedder;
import dev.crl.experience.embedding.HashingEmbedder;
import dev.crl.experience.extractor.RejectionReason;
import dev.crl.experience.store.HnswExperienceStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistillationTest {

  private final ScriptedExtractor extractor = new ScriptedExtractor(p -> ScriptedExtractor.noChange());

  @Test
  void addWritesAnEntryAndKeepsItsTrainingSample() {
    try (ExperienceManager manager = TestBanks.manager(extractor, ExperienceManagerConfig.defaults())) {
      extractor.answer(p -> ScriptedExtractor.add("Stairs", "Walk east twice, then descend."));
      manager.submit(TestBanks.request("ep-1", "reach the stairs", true, List.of()));
      List<DistillationResult> results = manager.drainDistillation();
      assertEquals(1, results.size());
      DistillationResult result = results.get(0);
      assertTrue(result.accepted(), result.detail());
      String id = result.applied().get(0).entryId();
      assertEquals(List.of(new AppliedOperation(Kind.ADDED, id, 1)), result.applied());
      ExtractorSample sample = result.sample().orElseThrow();
      assertEquals(List.of(id), sample.producedEntryIds());
      assertTrue(sample.prompt().contains("reach the stairs"));
      assertTrue(sample.prompt().contains("success"));
      assertTrue(sample.response().contains("Walk east twice"));
      ExperienceEntry entry = manager.get(id).orElseThrow();
      assertEquals("Stairs", entry.title());
      assertEquals(List.of("room"), entry.tags());
      assertEquals(List.of("ep-1"), entry.provenance().sourceEpisodes());
      assertEquals("scripted-extractor", entry.provenance().extractorCheckpoint());
      assertEquals(1, manager.operationCounts().get("operations.add"));
    }
  }

  @Test
  void updateRefinesTheLessonsShownAndMergesMultipleTargets() {
    try (ExperienceManager manager = TestBanks.manager(extractor, ExperienceManagerConfig.defaults())) {
      String a = addLesson(manager, "ep-1", "Keys", "Pick up the key.");
      String b = addLesson(manager, "ep-2", "Doors", "Apply the key to the door.");
      manager.recordOutcome(a, true);
      manager.recordOutcome(b, false);
      // The episode used both lessons, so they are shown as [0] and [1].
      extractor.answer(p -> ScriptedExtractor.update("Keys and doors", "Pick up the key, then apply it to the door.", 0, 1));
      manager.submit(TestBanks.request("ep-3", "open the door", true, List.of(a, b)));
      DistillationResult result = manager.drainDistillation().get(0);
      assertTrue(result.accepted(), result.detail());
      assertEquals(List.of(new AppliedOperation(Kind.UPDATED, a, 2), new AppliedOperation(Kind.REMOVED_BY_UPDATE, b, 0)),
          result.applied());
      assertEquals(1, manager.size());
      ExperienceEntry merged = manager.get(a).orElseThrow();
      assertEquals(2, merged.version());
      assertEquals(1, merged.stats().guidedSuccesses());
      assertEquals(1, merged.stats().guidedFailures());
      assertEquals(List.of("ep-1", "ep-2", "ep-3"), merged.provenance().sourceEpisodes());
      String prompt = extractor.prompts().get(extractor.prompts().size() - 1);
      assertTrue(prompt.contains("[0] <title>Keys</title>"), prompt);
      assertTrue(prompt.contains("[1] <title>Doors</title>"), prompt);
    }
  }

  @Test
  void anUpdateBasedOnAnOutdatedLessonIsRejectedAsStale() {
    try (ExperienceManager manager = TestBanks.manager(extractor, ExperienceManagerConfig.defaults())) {
      String a = addLesson(manager, "ep-1", "Keys", "Pick up the key.");
      // Two requests in one batch both see version 1 of the lesson in their prompts.
      extractor.answer(p -> ScriptedExtractor.update("Keys", "Refined text.", 0));
      manager.submit(TestBanks.request("ep-2", "find key", true, List.of(a)));
      manager.submit(TestBanks.request("ep-3", "find key", true, List.of(a)));
      List<DistillationResult> results = manager.drainDistillation();
      // Both prompts saw version 1; the first update wins, the second must not overwrite it.
      assertTrue(results.get(0).accepted());
      assertEquals(RejectionReason.STALE_TARGET, results.get(1).rejection().orElseThrow());
      assertEquals(2, manager.get(a).orElseThrow().version());
      assertEquals(1, manager.operationCounts().get("rejected.stale_target"));
    }
  }

  @Test
  void fifoCapEvictsTheOldestEntries() {
    ExperienceManagerConfig config = ExperienceManagerConfig.builder().optCapacity(3).build();
    try (ExperienceManager manager = TestBanks.manager(extractor, config)) {
      String first = addLesson(manager, "ep-1", "One", "first lesson");
      addLesson(manager, "ep-2", "Two", "second lesson");
      addLesson(manager, "ep-3", "Three", "third lesson");
      extractor.answer(p -> ScriptedExtractor.add("Four", "fourth lesson"));
      manager.submit(TestBanks.request("ep-4", "goal four", true, List.of()));
      DistillationResult result = manager.drainDistillation().get(0);
      assertEquals(3, manager.size());
      assertTrue(manager.get(first).isEmpty());
      assertTrue(result.applied().contains(new AppliedOperation(Kind.EVICTED, first, 0)));
      assertEquals(1, manager.operationCounts().get("bank.evictions"));
    }
  }

  @Test
  void returnAndRejectionsLeaveTheBankAloneAndAreCounted() {
    try (ExperienceManager manager = TestBanks.manager(extractor, ExperienceManagerConfig.defaults())) {
      addLesson(manager, "ep-1", "Keys", "Pick up the key.");
      List<ExperienceEntry> before = manager.entries();
      extractor.answer(p -> p.contains("goal-a") ? ScriptedExtractor.noChange() : "I think we should add a lesson.");
      manager.submit(TestBanks.request("ep-2", "goal-a", false, List.of()));
      manager.submit(TestBanks.request("ep-3", "goal-b", false, List.of()));
      List<DistillationResult> results = manager.drainDistillation();
      assertTrue(results.get(0).accepted());
      assertTrue(results.get(0).sample().orElseThrow().producedEntryIds().isEmpty());
      assertFalse(results.get(1).accepted());
      assertTrue(results.get(1).sample().isEmpty());
      assertEquals(RejectionReason.MISSING_ANSWER, results.get(1).rejection().orElseThrow());
      assertEquals(before, manager.entries());
      assertEquals(1, manager.operationCounts().get("operations.return"));
      assertEquals(1, manager.operationCounts().get("rejected.missing_answer"));
    }
  }

  @Test
  void aFailingModelCallLosesNoRequest() {
    try (ExperienceManager manager = TestBanks.manager(extractor, ExperienceManagerConfig.defaults())) {
      extractor.answer(p -> {
        throw new IllegalStateException("model server down");
      });
      manager.submit(TestBanks.request("ep-1", "goal", true, List.of()));
      manager.submit(TestBanks.request("ep-2", "goal", true, List.of()));
      assertThrows(ExtractorCallFailedException.class, manager::drainDistillation);
      assertEquals(2, manager.pendingDistillations());
      extractor.answer(p -> ScriptedExtractor.add("Back", "The model is back."));
      List<DistillationResult> results = manager.drainDistillation();
      assertEquals(List.of("ep-1", "ep-2"), results.stream().map(DistillationResult::episodeId).toList());
      assertEquals(2, manager.size());
    }
  }

  @Test
  void aFailingEmbedderAfterTheModelCallAlsoLosesNoRequest() {
    dev.crl.experience.embedding.HashingEmbedder hashing = new dev.crl.experience.embedding.HashingEmbedder(64, 7);
    java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean(true);
    Embedder flaky = new ForwardingEmbedder(hashing) {
      @Override
      public List<float[]> embed(List<String> texts) {
        if (broken.get() && texts.stream().anyMatch(t -> t.contains("<title>"))) {
          throw new IllegalStateException("embedder out of memory");
        }
        return super.embed(texts);
      }
    };
    extractor.answer(p -> ScriptedExtractor.add("Lesson", "written while the embedder fails"));
    try (ExperienceManager manager = ExperienceManager.builder()
        .setStore(new dev.crl.experience.store.ExactExperienceStore(64)).setEmbedder(flaky)
        .setExtractor(extractor).build()) {
      manager.submit(TestBanks.request("ep-1", "goal", true, List.of()));
      assertThrows(ExtractorCallFailedException.class, manager::drainDistillation);
      assertEquals(1, manager.pendingDistillations());
      assertEquals(0, manager.size());
      broken.set(false);
      assertTrue(manager.drainDistillation().get(0).accepted());
      assertEquals(1, manager.size());
    }
  }

  @Test
  void withBackgroundLessonEmbeddingOnlyTheWriteSideMovesToTheBackgroundThread() {
    List<String> threads = Collections.synchronizedList(new ArrayList<>());
    HashingEmbedder hashing = new HashingEmbedder(64, 7);
    Embedder recording = new ForwardingEmbedder(hashing) {
      @Override
      public List<float[]> embed(List<String> texts) {
        threads.add(Thread.currentThread().getName());
        return super.embed(texts);
      }
    };
    ExperienceManagerConfig config = ExperienceManagerConfig.builder().optBackgroundLessonEmbedding(true).build();
    try (ExperienceManager manager = ExperienceManager.builder().setStore(new HnswExperienceStore(64))
        .setEmbedder(recording).setExtractor(extractor).optConfig(config).build()) {
      String id = addLesson(manager, "ep-1", "Stairs", "Walk east twice, then descend.");
      // The goal shown to the extractor and the new lesson were both embedded in the background.
      assertEquals(List.of("crl-lesson-embedding", "crl-lesson-embedding"), threads);
      threads.clear();
      RetrievalResult result = manager.retrieve(List.of(RetrievalQuery.of("goal of ep-1", "obs: start"))).get(0);
      assertEquals(id, result.experiences().get(0).entry().id());
      assertEquals(1, threads.size());
      assertFalse(threads.contains("crl-lesson-embedding"), threads.toString());
    }
  }

  private String addLesson(ExperienceManager manager, String episode, String title, String content) {
    extractor.answer(p -> ScriptedExtractor.add(title, content));
    manager.submit(TestBanks.request(episode, "goal of " + episode, true, List.of()));
    DistillationResult result = manager.drainDistillation().get(0);
    assertTrue(result.accepted(), result.detail());
    return result.applied().get(0).entryId();
  }
}
