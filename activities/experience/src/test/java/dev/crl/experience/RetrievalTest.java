package dev.crl.experience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.experience.embedding.Embedder;
import dev.crl.experience.embedding.ForwardingEmbedder;
import dev.crl.experience.embedding.HashingEmbedder;
import dev.crl.experience.store.HnswExperienceStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetrievalTest {

  private final ScriptedExtractor extractor = new ScriptedExtractor(p -> ScriptedExtractor.noChange());

  private List<String> fill(ExperienceManager manager, List<String> contents, List<String> tags) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < contents.size(); i++) {
      String content = contents.get(i);
      extractor.answer(p -> ScriptedExtractor.add("lesson", content));
      manager.submit(new DistillationRequest("ep-" + i, "g" + i, "obs", true, List.of(), List.of(tags.get(i))));
      ids.add(manager.drainDistillation().get(0).applied().get(0).entryId());
    }
    return ids;
  }

  @Test
  void returnsTheMostSimilarEntryAndCountsTheRetrieval() {
    try (ExperienceManager manager = TestBanks.manager(extractor, ExperienceManagerConfig.defaults())) {
      List<String> ids = fill(manager,
          List.of("push the boulder into the river water", "pick up the key and open the door", "buy a red shirt"),
          List.of("river", "keyroom", "webshop"));
      RetrievalResult result = manager.retrieve(List.of(RetrievalQuery.of("open the door", "you see a key"))).get(0);
      assertEquals(1, result.experiences().size());
      RetrievedExperience top = result.experiences().get(0);
      assertEquals(ids.get(1), top.entry().id());
      assertEquals(1, top.entry().stats().timesRetrieved());
      assertEquals(1, manager.get(ids.get(1)).orElseThrow().stats().timesRetrieved());
      assertTrue(top.similarity() > 0);
    }
  }

  @Test
  void timedRetrievalReportsEachQuerysWaitIncludingItsEmbedding() {
    // An embedder that takes 30 ms per call: every query's latency must include at least that.
    HashingEmbedder hashing = new HashingEmbedder(64, 7);
    Embedder slow = new ForwardingEmbedder(hashing) {
      @Override
      public List<float[]> embed(List<String> texts) {
        try {
          Thread.sleep(30);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return super.embed(texts);
      }
    };
    try (ExperienceManager manager = ExperienceManager.builder().setStore(new HnswExperienceStore(64))
        .setEmbedder(slow).setExtractor(extractor).build()) {
      fill(manager, List.of("pick up the key and open the door", "buy a red shirt"), List.of("keyroom", "webshop"));
      List<RetrievalQuery> queries = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        queries.add(RetrievalQuery.of(i % 2 == 0 ? "open the door" : "buy a shirt", "query " + i));
      }
      TimedRetrieval timed = manager.retrieveTimed(queries);
      assertEquals(40, timed.results().size());
      assertEquals(40, timed.latencyNanos().length);
      for (int i = 0; i < 40; i++) {
        assertEquals(queries.get(i), timed.results().get(i).query());
        long nanos = timed.latencyNanos()[i];
        assertTrue(nanos >= 30_000_000L && nanos < 60_000_000_000L, "query " + i + " took " + nanos + " ns");
      }
    }
  }

  @Test
  void tagFilterRestrictsCandidates() {
    try (ExperienceManager manager = TestBanks.manager(extractor, ExperienceManagerConfig.defaults())) {
      List<String> ids = fill(manager,
          List.of("pick up the key and open the door", "buy a red shirt with the key logo"),
          List.of("keyroom", "webshop"));
      RetrievalQuery query = RetrievalQuery.of("open the door", "you see a key").withTag("webshop");
      assertEquals(ids.get(1), manager.retrieve(List.of(query)).get(0).experiences().get(0).entry().id());
      RetrievalQuery none = RetrievalQuery.of("open the door", "key").withTag("alfworld");
      assertTrue(manager.retrieve(List.of(none)).get(0).experiences().isEmpty());
    }
  }

  @Test
  void usageDiversificationSpreadsRetrievalsOverSimilarEntries() {
    MutableClock clock = new MutableClock(1_000_000);
    ExperienceManagerConfig config = ExperienceManagerConfig.builder().optClock(clock).optSeed(3).build();
    try (ExperienceManager manager = TestBanks.manager(extractor, config)) {
      fill(manager,
          List.of("open the door with the key", "open the door with the golden key", "open the red door with a key"),
          List.of("k", "k", "k"));
      RetrievalQuery q = RetrievalQuery.of("open the door with the key", "");
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 12; i++) {
        seen.add(manager.retrieve(List.of(q)).get(0).experiences().get(0).entry().id());
        clock.advanceMillis(1_000);
      }
      // Without Eq. 6 the single best match would be returned every time.
      assertEquals(3, seen.size(), "retrievals went to " + seen);
    }
  }

  @Test
  void withoutDiversificationTheBestMatchWinsEveryTime() {
    ExperienceManagerConfig config = ExperienceManagerConfig.builder()
        .optDiversityLambda(0).optRecentTopDemotionProbability(0).build();
    try (ExperienceManager manager = TestBanks.manager(extractor, config)) {
      fill(manager,
          List.of("open the door with the key", "open the door with the golden key", "open the red door with a key"),
          List.of("k", "k", "k"));
      RetrievalQuery q = RetrievalQuery.of("open the door with the key", "");
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 12; i++) {
        seen.add(manager.retrieve(List.of(q)).get(0).experiences().get(0).entry().id());
      }
      assertEquals(1, seen.size());
    }
  }

  @Test
  void batchedRetrievalAnswersEveryQueryInOrder() {
    try (ExperienceManager manager = TestBanks.manager(extractor, ExperienceManagerConfig.builder()
        .optDiversityLambda(0).optRecentTopDemotionProbability(0).build())) {
      List<String> ids = fill(manager, List.of("alpha beta", "gamma delta", "epsilon zeta"), List.of("a", "a", "a"));
      List<RetrievalQuery> queries = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        queries.add(RetrievalQuery.of(List.of("alpha beta", "gamma delta", "epsilon zeta").get(i % 3), ""));
      }
      List<RetrievalResult> results = manager.retrieve(queries);
      for (int i = 0; i < 40; i++) {
        assertEquals(queries.get(i), results.get(i).query());
        assertEquals(ids.get(i % 3), results.get(i).experiences().get(0).entry().id());
      }
      assertTrue(manager.operationCounts().get("retrieval.batches") < 40, "queries were not batched");
    }
  }

  @Test
  void extractorSampleWeightFollowsEquationSeven() {
    try (ExperienceManager manager = TestBanks.manager(extractor, ExperienceManagerConfig.defaults())) {
      String id = fill(manager, List.of("a lesson"), List.of("t")).get(0);
      assertEquals(1.0, manager.extractorSampleWeight(id, 10), 1e-12);
      manager.recordExtractorTraining(List.of(id), 10);
      assertEquals(0.0, manager.extractorSampleWeight(id, 10), 1e-12);
      assertEquals(0.0, manager.extractorSampleWeight(id, 11), 1e-12);
      assertEquals(Math.pow(2, -0.5), manager.extractorSampleWeight(id, 12), 1e-12);
      manager.recordExtractorTraining(List.of(id), 12);
      manager.recordExtractorTraining(List.of(id), 14);
      assertEquals(Math.pow(4, -0.5), manager.extractorSampleWeight(id, 20), 1e-12);
      assertNotEquals(0.0, manager.extractorSampleWeight("exp-unknown", 20));
    }
  }
}
