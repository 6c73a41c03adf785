package dev.crl.experience;

import dev.crl.experience.AppliedOperation.Kind;
import dev.crl.experience.embedding.BackgroundEmbedder;
import dev.crl.experience.embedding.Embedder;
import dev.crl.experience.extractor.ExtractorModel;
import dev.crl.experience.extractor.ExtractorOperation;
import dev.crl.experience.extractor.ExtractorResponseParser;
import dev.crl.experience.extractor.MergeDecision;
import dev.crl.experience.extractor.MergeResponseParser;
import dev.crl.experience.extractor.ParseOutcome;
import dev.crl.experience.extractor.RejectionReason;
import dev.crl.experience.retrieval.MicroBatcher;
import dev.crl.experience.retrieval.TrainingCountWeight;
import dev.crl.experience.retrieval.UsageDiversifier;
import dev.crl.experience.snapshot.BankSnapshot;
import dev.crl.experience.store.ExperienceStore;
import dev.crl.experience.store.ScoredId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The experience manager H of the paper: it owns the bank, serves batched retrieval under a read
 * lock, applies the extractor's operations and merge decisions under a write lock, and keeps the
 * statistics that Eq. 6 and Eq. 7 need.
 *
 * <p>Locking rule: model calls (extractor generation, embedding of new lessons) always happen with
 * no lock held. A write first reads what it needs under the read lock, remembers the versions it
 * saw, calls the model, and then re-checks those versions under the write lock; a write based on
 * a version that changed meanwhile is rejected as {@link RejectionReason#STALE_TARGET} instead of
 * overwriting a newer lesson. So retrieval never waits for generation, and no update is lost.
 *
 * <p>The manager owns the store, the embedder and its retrieval threads, and closes them.
 */
public final class ExperienceManager implements AutoCloseable {

  /** Where the next bounded merge pass starts, as a position in FIFO order. */
  private volatile int mergeCursor;
  private final ExperienceStore store;
  private final Embedder embedder;
  /**
   * Embeds what the write side needs (new lessons, the goals of episodes being distilled), always
   * through {@link Embedder#embedDeferrable} so that retrieval queries go first: the embedder
   * itself, or a {@link BackgroundEmbedder} around it when the configuration asks for background
   * lesson embedding.
   */
  private final Embedder lessonEmbedder;
  private final ExtractorModel extractor;
  private final ExperienceManagerConfig config;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  /** Authoritative entries in FIFO (insertion) order. Guarded by {@link #lock}. */
  private final LinkedHashMap<String, ExperienceEntry> entries = new LinkedHashMap<>();
  /** Next entry id number. Written under the write lock. */
  private long nextSequence = 1;

  private final ConcurrentLinkedDeque<DistillationRequest> pending = new ConcurrentLinkedDeque<>();
  private final OperationCounters counters = new OperationCounters();
  private final UsageDiversifier diversifier;
  private final TrainingCountWeight trainingWeight;
  private final ExtractorResponseParser parser;
  private final MergeResponseParser mergeParser;
  private final ExtractorPrompts prompts = new ExtractorPrompts();
  private final Random random;
  private final MicroBatcher<RetrievalQuery, float[], RetrievalResult> batcher;

  private ExperienceManager(Builder b) {
    this.store = b.store;
    this.embedder = b.embedder;
    this.extractor = b.extractor;
    this.config = b.config;
    this.lessonEmbedder = config.backgroundLessonEmbedding ? new BackgroundEmbedder(embedder) : embedder;
    if (store.dimension() != embedder.dimension()) {
      throw new IllegalArgumentException("store holds " + store.dimension() + "-dimensional vectors but "
          + embedder.name() + " produces " + embedder.dimension());
    }
    this.diversifier = new UsageDiversifier(
        config.diversityLambda, config.recencyWindowMillis, config.recentTopDemotionProbability);
    this.trainingWeight = new TrainingCountWeight(config.trainingCooldownSteps, config.trainingCountAlpha);
    this.parser = new ExtractorResponseParser(config.maxOperations, config.maxLessonChars);
    this.mergeParser = new MergeResponseParser(config.maxLessonChars);
    this.random = new Random(config.seed);
    this.batcher = new MicroBatcher<>(
        "experience",
        config.batchSize,
        config.batchWaitMicros,
        config.searchWorkers,
        this::embedQueries,
        this::searchBatch,
        counters.retrievalBatches::increment);
  }

  /** A builder; store, embedder and extractor are required. */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- retrieval

  /**
   * Retrieves experience for each query. The queries join the shared micro-batch queue, so
   * concurrent callers are batched together; this call returns when all of its queries are
   * answered, in order.
   */
  public List<RetrievalResult> retrieve(List<RetrievalQuery> queries) {
    return retrieveTimed(queries).results();
  }

  /** {@link #retrieve}, and how long each query took from joining the queue to its answer. */
  public TimedRetrieval retrieveTimed(List<RetrievalQuery> queries) {
    List<CompletableFuture<RetrievalResult>> futures = new ArrayList<>(queries.size());
    long[] latencyNanos = new long[queries.size()];
    for (int i = 0; i < queries.size(); i++) {
      int index = i;
      long submitted = System.nanoTime();
      // The stamp is taken on the thread that answers the query; get() on the returned future
      // happens after it.
      futures.add(batcher.submit(Objects.requireNonNull(queries.get(i), "query"))
          .whenComplete((result, failure) -> latencyNanos[index] = System.nanoTime() - submitted));
    }
    List<RetrievalResult> results = new ArrayList<>(futures.size());
    try {
      for (CompletableFuture<RetrievalResult> f : futures) {
        results.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for retrieval", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException("retrieval failed", cause);
    }
    return new TimedRetrieval(results, latencyNanos);
  }

  private List<float[]> embedQueries(List<RetrievalQuery> queries) {
    List<String> texts = new ArrayList<>(queries.size());
    for (RetrievalQuery q : queries) {
      texts.add(prompts.retrievalText(q.goal(), q.firstObservation()));
    }
    counters.retrievalQueries.add(queries.size());
    return embedder.embed(texts);
  }

  private List<RetrievalResult> searchBatch(List<RetrievalQuery> queries, List<float[]> vectors) {
    int limit = 1;
    List<Optional<String>> tags = new ArrayList<>(queries.size());
    for (RetrievalQuery q : queries) {
      limit = Math.max(limit, q.k() * config.oversampling);
      tags.add(q.environmentTag());
    }
    List<List<UsageDiversifier.Candidate>> candidates = new ArrayList<>(queries.size());
    lock.readLock().lock();
    try {
      List<List<ScoredId>> hits = store.searchBatch(vectors, limit, tags);
      for (int i = 0; i < queries.size(); i++) {
        int wanted = queries.get(i).k() * config.oversampling;
        List<UsageDiversifier.Candidate> list = new ArrayList<>(wanted);
        for (ScoredId hit : hits.get(i)) {
          ExperienceEntry entry = entries.get(hit.id());
          if (entry != null && list.size() < wanted) {
            list.add(new UsageDiversifier.Candidate(entry, hit.score()));
          }
        }
        candidates.add(list);
      }
    } finally {
      lock.readLock().unlock();
    }
    long now = config.clock.millis();
    List<List<RetrievedExperience>> chosen = new ArrayList<>(queries.size());
    boolean any = false;
    synchronized (random) {
      for (int i = 0; i < queries.size(); i++) {
        List<RetrievedExperience> ranked = diversifier.rank(candidates.get(i), queries.get(i).k(), now, random);
        chosen.add(ranked);
        any |= !ranked.isEmpty();
      }
    }
    List<RetrievalResult> results = new ArrayList<>(queries.size());
    if (!any) {
      for (RetrievalQuery q : queries) {
        results.add(new RetrievalResult(q, List.of()));
      }
      return results;
    }
    // One short write-lock section per batch records the retrievals that Eq. 6 counts.
    lock.writeLock().lock();
    try {
      for (int i = 0; i < queries.size(); i++) {
        List<RetrievedExperience> counted = new ArrayList<>(chosen.get(i).size());
        for (RetrievedExperience r : chosen.get(i)) {
          ExperienceEntry current = entries.get(r.entry().id());
          if (current != null) {
            ExperienceEntry updated = current.withStats(current.stats().retrievedAt(now));
            entries.put(updated.id(), updated);
            counted.add(new RetrievedExperience(updated, r.similarity(), r.score()));
          }
        }
        counters.retrievalHits.add(counted.size());
        results.add(new RetrievalResult(queries.get(i), counted));
      }
    } finally {
      lock.writeLock().unlock();
    }
    return results;
  }

  // ---------------------------------------------------------------- distillation

  /** Queues a finished episode for distillation; {@link #drainDistillation()} processes it. */
  public void submit(DistillationRequest request) {
    pending.addLast(Objects.requireNonNull(request, "request"));
    counters.distillationRequests.increment();
  }

  /** Requests queued and not yet processed. */
  public int pendingDistillations() {
    return pending.size();
  }

  /**
   * Processes up to {@code maxDistillationBatch} queued requests with one batched extractor call
   * and applies the accepted operations. Returns one result per processed request, in order.
   *
   * @throws ExtractorCallFailedException when the model call fails; the requests are re-queued
   */
  public List<DistillationResult> drainDistillation() {
    List<DistillationRequest> batch = new ArrayList<>();
    DistillationRequest r;
    while (batch.size() < config.maxDistillationBatch && (r = pending.pollFirst()) != null) {
      batch.add(r);
    }
    if (batch.isEmpty()) {
      return List.of();
    }
    List<ShownLessons> shown;
    List<String> promptTexts = new ArrayList<>(batch.size());
    List<String> responses;
    List<ParseOutcome<ExtractorOperation>> parsed = new ArrayList<>(batch.size());
    Iterator<float[]> vectors;
    try {
      shown = showLessons(batch);
      for (int i = 0; i < batch.size(); i++) {
        promptTexts.add(prompts.consolidation(batch.get(i), shown.get(i).entries()));
      }
      responses = callExtractor(promptTexts);
      List<String> newTexts = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        ParseOutcome<ExtractorOperation> outcome = parser.parse(responses.get(i), shown.get(i).entries().size());
        parsed.add(outcome);
        for (ExtractorOperation op : outcome.operations()) {
          lessonOf(op).ifPresent(newTexts::add);
        }
      }
      // New lessons are embedded before the write lock is taken: the embedder is a model too.
      vectors = lessonEmbedder.embedDeferrable(newTexts).iterator();
    } catch (RuntimeException e) {
      // Nothing was applied yet: put the whole batch back so that a retry loses nothing.
      for (int i = batch.size() - 1; i >= 0; i--) {
        pending.addFirst(batch.get(i));
      }
      counters.rejected(RejectionReason.MODEL_FAILURE);
      throw new ExtractorCallFailedException(
          "distillation failed before any change (" + e.getMessage() + "); " + batch.size() + " requests re-queued", e);
    }
    String checkpoint = extractor.checkpoint();
    List<DistillationResult> results = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      ParseOutcome<ExtractorOperation> outcome = parsed.get(i);
      List<float[]> opVectors = new ArrayList<>();
      for (ExtractorOperation op : outcome.operations()) {
        if (lessonOf(op).isPresent()) {
          opVectors.add(vectors.next());
        }
      }
      results.add(apply(batch.get(i), shown.get(i), promptTexts.get(i), responses.get(i), outcome, opVectors, checkpoint));
    }
    return results;
  }

  private record ShownLessons(List<ExperienceEntry> entries) {}

  private List<ShownLessons> showLessons(List<DistillationRequest> batch) {
    List<float[]> goalVectors = List.of();
    if (config.lessonsShown > 0) {
      List<String> goals = new ArrayList<>(batch.size());
      for (DistillationRequest req : batch) {
        goals.add(prompts.retrievalText(req.goal(), firstLine(req.interaction())));
      }
      goalVectors = lessonEmbedder.embedDeferrable(goals);
    }
    List<ShownLessons> out = new ArrayList<>(batch.size());
    lock.readLock().lock();
    try {
      for (int i = 0; i < batch.size(); i++) {
        LinkedHashMap<String, ExperienceEntry> lessons = new LinkedHashMap<>();
        for (String id : batch.get(i).usedEntryIds()) {
          ExperienceEntry e = entries.get(id);
          if (e != null) {
            lessons.putIfAbsent(id, e);
          }
        }
        if (config.lessonsShown > 0 && !entries.isEmpty()) {
          int added = 0;
          for (ScoredId hit : store.search(goalVectors.get(i), config.lessonsShown + lessons.size(), Optional.empty())) {
            ExperienceEntry e = entries.get(hit.id());
            if (added < config.lessonsShown && e != null && lessons.putIfAbsent(hit.id(), e) == null) {
              added++;
            }
          }
        }
        out.add(new ShownLessons(List.copyOf(lessons.values())));
      }
    } finally {
      lock.readLock().unlock();
    }
    return out;
  }

  private List<String> callExtractor(List<String> promptTexts) {
    List<String> responses = extractor.complete(promptTexts);
    if (responses == null || responses.size() != promptTexts.size()) {
      throw new IllegalStateException("extractor returned "
          + (responses == null ? "null" : responses.size()) + " completions for " + promptTexts.size() + " prompts");
    }
    return responses;
  }

  private DistillationResult apply(
      DistillationRequest request,
      ShownLessons shown,
      String prompt,
      String response,
      ParseOutcome<ExtractorOperation> outcome,
      List<float[]> vectors,
      String checkpoint) {
    if (!outcome.isAccepted()) {
      return rejected(request, outcome.rejection(), outcome.detail());
    }
    List<AppliedOperation> applied = new ArrayList<>();
    List<String> produced = new ArrayList<>();
    lock.writeLock().lock();
    try {
      // Validate every target against the versions the extractor saw before touching anything.
      for (ExtractorOperation op : outcome.operations()) {
        if (op instanceof ExtractorOperation.Update update) {
          for (int index : update.targetIndices()) {
            ExperienceEntry seen = shown.entries().get(index);
            ExperienceEntry now = entries.get(seen.id());
            if (now == null || now.version() != seen.version()) {
              return rejected(request, RejectionReason.STALE_TARGET,
                  "lesson " + index + " (" + seen.id() + ") changed after the prompt was built");
            }
          }
        }
      }
      long now = config.clock.millis();
      int v = 0;
      // Updates go first so that an add's FIFO eviction cannot remove an update's target.
      List<ExtractorOperation> ordered = new ArrayList<>();
      List<float[]> orderedVectors = new ArrayList<>();
      for (int pass = 0; pass < 2; pass++) {
        int vi = 0;
        for (ExtractorOperation op : outcome.operations()) {
          boolean hasLesson = lessonOf(op).isPresent();
          if ((op instanceof ExtractorOperation.Update) == (pass == 0)) {
            ordered.add(op);
            orderedVectors.add(hasLesson ? vectors.get(vi) : null);
          }
          if (hasLesson) {
            vi++;
          }
        }
      }
      for (ExtractorOperation op : ordered) {
        float[] vector = orderedVectors.get(v++);
        if (op instanceof ExtractorOperation.Update update) {
          List<ExperienceEntry> targets = new ArrayList<>();
          for (int index : update.targetIndices()) {
            targets.add(entries.get(shown.entries().get(index).id()));
          }
          ExperienceEntry written = combine(targets, update.title(), update.content(), vector,
              List.of(request.episodeId()), checkpoint, now);
          replace(targets, written, applied, Kind.UPDATED, Kind.REMOVED_BY_UPDATE);
          produced.add(written.id());
          counters.updates.increment();
        } else if (op instanceof ExtractorOperation.Add add) {
          ExperienceEntry written = new ExperienceEntry(
              newId(), add.title(), add.content(), request.tags(), vector, EntryStats.NEW,
              new Provenance(List.of(request.episodeId()), checkpoint, now, now), 1);
          insert(written, applied);
          produced.add(written.id());
          counters.adds.increment();
        } else {
          counters.returns.increment();
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
    counters.responsesAccepted.increment();
    return new DistillationResult(
        request.episodeId(), Optional.of(new ExtractorSample(prompt, response, produced)), applied,
        Optional.empty(), "accepted");
  }

  private DistillationResult rejected(DistillationRequest request, RejectionReason reason, String detail) {
    counters.responsesRejected.increment();
    counters.rejected(reason);
    return new DistillationResult(request.episodeId(), Optional.empty(), List.of(), Optional.of(reason), detail);
  }

  /** Adds a new entry and evicts the oldest ones beyond capacity. Caller holds the write lock. */
  private void insert(ExperienceEntry written, List<AppliedOperation> applied) {
    store.upsert(List.of(written));
    entries.put(written.id(), written);
    applied.add(new AppliedOperation(Kind.ADDED, written.id(), written.version()));
    List<String> evicted = new ArrayList<>();
    Iterator<String> oldest = entries.keySet().iterator();
    while (entries.size() - evicted.size() > config.capacity && oldest.hasNext()) {
      String id = oldest.next();
      if (!id.equals(written.id())) {
        evicted.add(id);
      }
    }
    if (!evicted.isEmpty()) {
      store.delete(evicted);
      for (String id : evicted) {
        entries.remove(id);
        applied.add(new AppliedOperation(Kind.EVICTED, id, 0));
      }
      counters.evictions.add(evicted.size());
    }
  }

  /**
   * Writes {@code written} in place of {@code targets}: the first target keeps its id and place in
   * the FIFO order, the others are removed. Caller holds the write lock.
   */
  private void replace(List<ExperienceEntry> targets, ExperienceEntry written, List<AppliedOperation> applied,
      Kind writtenKind, Kind removedKind) {
    List<String> removed = new ArrayList<>();
    for (ExperienceEntry t : targets.subList(1, targets.size())) {
      removed.add(t.id());
    }
    store.upsert(List.of(written));
    if (!removed.isEmpty()) {
      store.delete(removed);
    }
    entries.put(written.id(), written);
    applied.add(new AppliedOperation(writtenKind, written.id(), written.version()));
    for (String id : removed) {
      entries.remove(id);
      applied.add(new AppliedOperation(removedKind, id, 0));
    }
  }

  /** One entry carrying the new lesson in place of {@code targets}: stats add up, provenance joins. */
  private static ExperienceEntry combine(List<ExperienceEntry> targets, String title, String content, float[] vector,
      List<String> episodes, String checkpoint, long now) {
    ExperienceEntry base = targets.get(0);
    EntryStats stats = base.stats();
    Provenance provenance = base.provenance();
    LinkedHashSet<String> tags = new LinkedHashSet<>(base.tags());
    for (ExperienceEntry other : targets.subList(1, targets.size())) {
      stats = stats.combine(other.stats());
      provenance = provenance.mergedWith(other.provenance(), checkpoint, now);
      tags.addAll(other.tags());
    }
    provenance = provenance.rewrittenBy(episodes, checkpoint, now);
    return new ExperienceEntry(base.id(), title, content, List.copyOf(tags), vector, stats, provenance,
        base.version() + 1);
  }

  private String newId() {
    return String.format("exp-%08d", nextSequence++);
  }

  private static Optional<String> lessonOf(ExtractorOperation op) {
    if (op instanceof ExtractorOperation.Add add) {
      return Optional.of(LessonText.render(add.title(), add.content()));
    }
    if (op instanceof ExtractorOperation.Update update) {
      return Optional.of(LessonText.render(update.title(), update.content()));
    }
    return Optional.empty();
  }

  private static Optional<String> lessonOf(MergeDecision d) {
    if (d instanceof MergeDecision.Rewrite rw) {
      return Optional.of(LessonText.render(rw.title(), rw.content()));
    }
    if (d instanceof MergeDecision.Merge m) {
      return Optional.of(LessonText.render(m.title(), m.content()));
    }
    return Optional.empty();
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  // ---------------------------------------------------------------- merge

  /**
   * Runs one whole merge pass over the bank in windows of {@code chunk} entries, oldest first. The
   * entries a window merged are carried to the front of the next window, so a lesson can absorb
   * duplicates from further along the bank.
   */
  public MergeReport merge(int chunk) {
    return merge(chunk, Integer.MAX_VALUE, windows -> {});
  }

  /**
   * Where the next bounded merge pass starts (a position in FIFO order). It is not part of the
   * bank snapshot, whose format is the bank alone; callers that snapshot the bank save it beside
   * and give it back with {@link #resumeMergeAt}, so that a restored run does not start its
   * sweep over from the oldest entry.
   */
  public int mergeCursor() {
    return mergeCursor;
  }

  /** Sets where the next bounded merge pass starts; a position past the bank's end means 0. */
  public void resumeMergeAt(int cursor) {
    if (cursor < 0) {
      throw new IllegalArgumentException("merge cursor must be >= 0, got " + cursor);
    }
    mergeCursor = cursor;
  }

  /**
   * Runs a merge pass of at most {@code maxWindows} windows of {@code chunk} entries. A bounded
   * pass starts where the previous bounded pass stopped (in FIFO order, wrapping round to the
   * oldest entry), so that successive passes sweep the whole bank; an unbounded one covers the
   * whole bank from the oldest entry. {@code onWindow} hears the count of windows so far as each
   * one begins (an activity's heartbeat: one pass can take minutes).
   */
  public MergeReport merge(int chunk, int maxWindows, java.util.function.IntConsumer onWindow) {
    if (chunk < 2) {
      throw new IllegalArgumentException("merge chunk must be at least 2, got " + chunk);
    }
    if (maxWindows < 1) {
      throw new IllegalArgumentException("merge windows per pass must be positive, got " + maxWindows);
    }
    List<String> order;
    lock.readLock().lock();
    try {
      order = new ArrayList<>(entries.keySet());
    } finally {
      lock.readLock().unlock();
    }
    boolean bounded = maxWindows != Integer.MAX_VALUE;
    int start = bounded && mergeCursor < order.size() ? mergeCursor : 0;
    if (start > 0) {
      // Rotate so the pass begins at the cursor and wraps round to the oldest entries.
      List<String> rotated = new ArrayList<>(order.subList(start, order.size()));
      rotated.addAll(order.subList(0, start));
      order = rotated;
    }
    List<AppliedOperation> applied = new ArrayList<>();
    List<ExtractorSample> samples = new ArrayList<>();
    int windows = 0;
    int rejectedWindows = 0;
    List<String> carry = new ArrayList<>();
    int next = 0;
    while (next < order.size() && windows < maxWindows) {
      List<ExperienceEntry> window = new ArrayList<>();
      lock.readLock().lock();
      try {
        for (String id : carry) {
          ExperienceEntry e = entries.get(id);
          if (e != null) {
            window.add(e);
          }
        }
        while (window.size() < chunk && next < order.size()) {
          ExperienceEntry e = entries.get(order.get(next++));
          if (e != null && !carry.contains(e.id())) {
            window.add(e);
          }
        }
      } finally {
        lock.readLock().unlock();
      }
      carry = new ArrayList<>();
      if (window.isEmpty()) {
        continue;
      }
      windows++;
      onWindow.accept(windows);
      counters.mergeWindows.increment();
      String prompt = prompts.merge(window);
      List<String> responses = extractor.complete(List.of(prompt));
      String response = responses == null || responses.size() != 1 ? null : responses.get(0);
      ParseOutcome<MergeDecision> outcome = mergeParser.parse(response, window.size());
      if (!outcome.isAccepted()) {
        rejectedWindows++;
        counters.mergeWindowsRejected.increment();
        counters.rejected(outcome.rejection());
        continue;
      }
      List<String> texts = new ArrayList<>();
      for (MergeDecision d : outcome.operations()) {
        lessonOf(d).ifPresent(texts::add);
      }
      Iterator<float[]> vectors = lessonEmbedder.embedDeferrable(texts).iterator();
      List<AppliedOperation> windowApplied = new ArrayList<>();
      boolean ok = applyMerge(window, outcome.operations(), vectors, windowApplied, carry);
      if (!ok) {
        rejectedWindows++;
        counters.mergeWindowsRejected.increment();
        counters.rejected(RejectionReason.STALE_TARGET);
        carry = new ArrayList<>();
        continue;
      }
      applied.addAll(windowApplied);
      List<String> producedIds = new ArrayList<>();
      for (AppliedOperation op : windowApplied) {
        if (op.kind() == Kind.MERGED || op.kind() == Kind.REWRITTEN) {
          producedIds.add(op.entryId());
        }
      }
      samples.add(new ExtractorSample(prompt, response, producedIds));
      if (carry.size() >= chunk) {
        carry = new ArrayList<>(carry.subList(carry.size() - (chunk - 1), carry.size()));
      }
    }
    // Entries before the cursor that this pass removed shift the rest forward; the cursor is a
    // position, not an id, so a later pass may see a few entries twice, never skip many.
    mergeCursor = bounded && next < order.size() ? (start + next) % order.size() : 0;
    return new MergeReport(windows, rejectedWindows, applied, samples);
  }

  private boolean applyMerge(List<ExperienceEntry> window, List<MergeDecision> decisions, Iterator<float[]> vectors,
      List<AppliedOperation> applied, List<String> carry) {
    String checkpoint = extractor.checkpoint();
    lock.writeLock().lock();
    try {
      for (ExperienceEntry seen : window) {
        ExperienceEntry now = entries.get(seen.id());
        if (now == null || now.version() != seen.version()) {
          return false;
        }
      }
      long now = config.clock.millis();
      for (MergeDecision d : decisions) {
        if (d instanceof MergeDecision.Keep) {
          counters.mergeKept.increment();
        } else if (d instanceof MergeDecision.Discard discard) {
          String id = window.get(discard.index()).id();
          store.delete(List.of(id));
          entries.remove(id);
          applied.add(new AppliedOperation(Kind.DISCARDED, id, 0));
          counters.mergeDiscarded.increment();
        } else if (d instanceof MergeDecision.Rewrite rw) {
          ExperienceEntry target = entries.get(window.get(rw.index()).id());
          ExperienceEntry written = combine(List.of(target), rw.title(), rw.content(), vectors.next(),
              List.of(), checkpoint, now);
          replace(List.of(target), written, applied, Kind.REWRITTEN, Kind.REMOVED_BY_MERGE);
          counters.mergeRewritten.increment();
        } else if (d instanceof MergeDecision.Merge m) {
          List<ExperienceEntry> targets = new ArrayList<>();
          for (int index : m.indices()) {
            targets.add(entries.get(window.get(index).id()));
          }
          ExperienceEntry written = combine(targets, m.title(), m.content(), vectors.next(), List.of(), checkpoint, now);
          replace(targets, written, applied, Kind.MERGED, Kind.REMOVED_BY_MERGE);
          carry.add(written.id());
          counters.mergeMerged.increment();
        }
      }
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  // ---------------------------------------------------------------- statistics

  /**
   * The Eq. 7 weight of an extractor sample built on {@code entryId} at extractor step
   * {@code currentExtractorStep}. An entry that is no longer in the bank has no training count
   * left and is weighted as a fresh one.
   */
  public double extractorSampleWeight(String entryId, long currentExtractorStep) {
    lock.readLock().lock();
    try {
      ExperienceEntry e = entries.get(entryId);
      return trainingWeight.weight(e == null ? EntryStats.NEW : e.stats(), currentExtractorStep);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Records that samples built on these entries were trained at extractor step {@code step}. */
  public void recordExtractorTraining(Collection<String> entryIds, long step) {
    lock.writeLock().lock();
    try {
      for (String id : new LinkedHashSet<>(entryIds)) {
        ExperienceEntry e = entries.get(id);
        if (e != null) {
          entries.put(id, e.withStats(e.stats().trainedAt(step)));
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Records the outcome of a guided episode that used {@code entryId}.
   *
   * @return false when the entry is no longer in the bank
   */
  public boolean recordOutcome(String entryId, boolean success) {
    lock.writeLock().lock();
    try {
      ExperienceEntry e = entries.get(entryId);
      if (e == null) {
        return false;
      }
      entries.put(entryId, e.withStats(e.stats().withOutcome(success)));
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  // ---------------------------------------------------------------- reading and snapshots

  /** Number of entries in the bank. */
  public int size() {
    lock.readLock().lock();
    try {
      return entries.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The entry with {@code id}. */
  public Optional<ExperienceEntry> get(String id) {
    lock.readLock().lock();
    try {
      return Optional.ofNullable(entries.get(id));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Every entry, oldest first (a consistent copy). */
  public List<ExperienceEntry> entries() {
    lock.readLock().lock();
    try {
      return List.copyOf(entries.values());
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Operation counters by name (for metrics). */
  public Map<String, Long> operationCounts() {
    return counters.snapshot();
  }

  /** The embedder used for queries and lessons. */
  public Embedder embedder() {
    return embedder;
  }

  /** A consistent snapshot of the bank. */
  public BankSnapshot snapshot() {
    lock.readLock().lock();
    try {
      return new BankSnapshot(embedder.name(), embedder.dimension(), nextSequence, List.copyOf(entries.values()));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Writes a consistent snapshot of the bank to {@code out} (not closed). */
  public void writeSnapshot(OutputStream out) throws IOException {
    snapshot().write(out);
  }

  /** Reads a snapshot written by {@link #writeSnapshot}. */
  public static BankSnapshot readSnapshot(InputStream in) throws IOException {
    return BankSnapshot.read(in);
  }

  /** Replaces the bank with the one in {@code in}; on a bad snapshot the bank is left unchanged. */
  public void restore(InputStream in) throws IOException {
    restore(BankSnapshot.read(in));
  }

  /**
   * Replaces the bank with {@code snapshot}.
   *
   * @throws IllegalArgumentException when the snapshot was written with another embedding space
   */
  public void restore(BankSnapshot snapshot) {
    if (!snapshot.embedderName().equals(embedder.name()) || snapshot.dimension() != embedder.dimension()) {
      throw new IllegalArgumentException("snapshot was written with embedder " + snapshot.embedderName() + " ("
          + snapshot.dimension() + " dims); this manager uses " + embedder.name() + " (" + embedder.dimension() + ")");
    }
    lock.writeLock().lock();
    try {
      List<ExperienceEntry> previous = List.copyOf(entries.values());
      try {
        replaceAll(snapshot.entries());
      } catch (RuntimeException e) {
        replaceAll(previous);
        throw e;
      }
      nextSequence = snapshot.nextSequence();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void replaceAll(List<ExperienceEntry> all) {
    store.clear();
    entries.clear();
    for (int i = 0; i < all.size(); i += 1000) {
      store.upsert(all.subList(i, Math.min(all.size(), i + 1000)));
    }
    for (ExperienceEntry e : all) {
      entries.put(e.id(), e);
    }
  }

  @Override
  public void close() {
    batcher.close();
    store.close();
    if (lessonEmbedder != embedder) {
      lessonEmbedder.close();
    }
    embedder.close();
  }

  /** Builder: {@code setStore}, {@code setEmbedder}, {@code setExtractor} are required. */
  public static final class Builder {
    private ExperienceStore store;
    private Embedder embedder;
    private ExtractorModel extractor;
    private ExperienceManagerConfig config = ExperienceManagerConfig.defaults();

    private Builder() {}

    /** The store that indexes the entries. */
    public Builder setStore(ExperienceStore value) {
      store = value;
      return this;
    }

    /** The embedder for queries and lessons (wrap it in a {@code CachingEmbedder} for retrieval). */
    public Builder setEmbedder(Embedder value) {
      embedder = value;
      return this;
    }

    /** The extractor model. */
    public Builder setExtractor(ExtractorModel value) {
      extractor = value;
      return this;
    }

    /** Settings; the paper's defaults when not given. */
    public Builder optConfig(ExperienceManagerConfig value) {
      config = Objects.requireNonNull(value, "config");
      return this;
    }

    /** The manager, with its retrieval threads started. */
    public ExperienceManager build() {
      Objects.requireNonNull(store, "setStore is required");
      Objects.requireNonNull(embedder, "setEmbedder is required");
      Objects.requireNonNull(extractor, "setExtractor is required");
      return new ExperienceManager(this);
    }
  }
}
