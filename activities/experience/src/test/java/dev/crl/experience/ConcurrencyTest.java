package dev.crl.experience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.experience.AppliedOperation.Kind;
import dev.crl.experience.embedding.HashingEmbedder;
import dev.crl.experience.extractor.ExtractorModel;
import dev.crl.experience.store.ExactExperienceStore;
import dev.crl.experience.store.ExperienceStore;
import dev.crl.experience.store.HnswExperienceStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * 8 writer and 32 reader threads against one manager for 60 s (override with
 * -Dcrl.experience.concurrencySeconds=N). Writers distil, merge and record outcomes through a
 * scripted extractor that takes real time to "generate"; readers retrieve and check every entry
 * they get. At the end the bank must agree with every change the writers were told was applied.
 * Runs once per in-process store: the exact one and the HNSW graph, the latter told to walk its
 * graph even for this small bank, and rebuilding it in the background several times a run as
 * evictions and merges leave dead nodes.
 */
class ConcurrencyTest {

  private static final int WRITERS = 8;
  private static final int READERS = 32;
  private static final Pattern SHOWN = Pattern.compile("^\\[(\\d+)] <title>", Pattern.MULTILINE);
  private static final List<String> WORDS = List.of("door", "key", "stairs", "boulder", "river", "shirt", "mug",
      "coffee", "maze", "wall", "north", "south", "east", "west", "apply", "pickup", "search", "click", "buy", "open");

  private final HashingEmbedder reference = new HashingEmbedder(64, 7);
  private final AtomicLong retrievals = new AtomicLong();
  private final AtomicBoolean readsProgressedDuringModelCall = new AtomicBoolean();
  private final AtomicBoolean probeDone = new AtomicBoolean();
  private final List<String> failures = new CopyOnWriteArrayList<>();

  @ParameterizedTest(name = "{0} store")
  @ValueSource(strings = {"exact", "hnsw"})
  void writersAndReadersKeepEveryInvariant(String storeKind) throws Exception {
    long seconds = Long.getLong("crl.experience.concurrencySeconds", 60);
    ExperienceStore store = storeKind.equals("hnsw") ? new HnswExperienceStore(64, 32, 1, 0) : new ExactExperienceStore(64);
    ExperienceManagerConfig config = ExperienceManagerConfig.builder()
        .optCapacity(300).optLessonsShown(2).optMaxDistillationBatch(4).build();
    ExtractorModel model = new SlowExtractor();
    try (ExperienceManager manager = ExperienceManager.builder()
        .setStore(store).setEmbedder(new HashingEmbedder(64, 7)).setExtractor(model).optConfig(config).build()) {
      Map<String, Long> lastWrittenVersion = new ConcurrentHashMap<>();
      Set<String> removed = ConcurrentHashMap.newKeySet();
      AtomicLong added = new AtomicLong();
      long deadline = System.nanoTime() + seconds * 1_000_000_000L;
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        threads.add(new Thread(() -> write(manager, writer, deadline, lastWrittenVersion, removed, added), "writer-" + w));
      }
      for (int r = 0; r < READERS; r++) {
        threads.add(new Thread(() -> read(manager, deadline), "reader-" + r));
      }
      threads.add(new Thread(() -> checkWhileRunning(manager, store, deadline), "checker"));
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      assertTrue(failures.isEmpty(), "invariant violations: " + failures.subList(0, Math.min(10, failures.size())));

      List<ExperienceEntry> finalEntries = manager.entries();
      Set<String> ids = new HashSet<>();
      for (ExperienceEntry e : finalEntries) {
        assertTrue(ids.add(e.id()), "duplicate id " + e.id());
        assertTrue(!removed.contains(e.id()), "removed entry " + e.id() + " is back");
        // No lost update: each entry carries exactly the last version a writer was told it wrote.
        assertEquals(lastWrittenVersion.get(e.id()), e.version(), "version of " + e.id());
        assertIntact(e);
      }
      assertEquals(added.get() - removed.size(), finalEntries.size(), "added minus removed");
      assertEquals(finalEntries.size(), store.count(), "store and manager disagree");
      assertTrue(finalEntries.size() <= 300);
      assertTrue(readsProgressedDuringModelCall.get(), "retrieval stalled while the extractor was generating");
      Map<String, Long> counts = manager.operationCounts();
      assertTrue(counts.get("operations.update") > 0 && counts.get("merge.merged") > 0 && counts.get("bank.evictions") > 0,
          "the run did not exercise updates, merges and evictions: " + counts);
      System.out.printf("concurrency: %ds, %d retrievals, counters %s%n", seconds, retrievals.get(), counts);
    }
  }

  private void write(ExperienceManager manager, int writer, long deadline, Map<String, Long> versions,
      Set<String> removed, AtomicLong added) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int round = 0;
    try {
      while (System.nanoTime() < deadline) {
        round++;
        List<ExperienceEntry> sample = manager.entries();
        List<String> used = sample.isEmpty() ? List.of()
            : List.of(sample.get(random.nextInt(sample.size())).id());
        manager.submit(new DistillationRequest("w" + writer + "-" + round, goal(random), "obs: start\nact: go",
            random.nextBoolean(), used, List.of("t" + random.nextInt(3))));
        List<AppliedOperation> applied = new ArrayList<>();
        for (DistillationResult r : manager.drainDistillation()) {
          applied.addAll(r.applied());
        }
        if (writer == 0 && round % 40 == 0) {
          applied.addAll(manager.merge(5).applied());
        }
        record(applied, versions, removed, added);
        if (!used.isEmpty()) {
          manager.recordOutcome(used.get(0), random.nextBoolean());
          manager.recordExtractorTraining(used, round);
        }
      }
    } catch (RuntimeException e) {
      failures.add(Thread.currentThread().getName() + ": " + e);
    }
  }

  private static void record(List<AppliedOperation> applied, Map<String, Long> versions, Set<String> removed,
      AtomicLong added) {
    for (AppliedOperation op : applied) {
      switch (op.kind()) {
        case ADDED -> {
          added.incrementAndGet();
          versions.merge(op.entryId(), op.version(), Math::max);
        }
        case UPDATED, REWRITTEN, MERGED -> versions.merge(op.entryId(), op.version(), Math::max);
        default -> removed.add(op.entryId());
      }
    }
  }

  private void read(ExperienceManager manager, long deadline) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Map<String, Long> seen = new HashMap<>();
    try {
      while (System.nanoTime() < deadline) {
        List<RetrievalQuery> queries = new ArrayList<>();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
          RetrievalQuery q = RetrievalQuery.of(goal(random), "you see a " + WORDS.get(random.nextInt(WORDS.size())));
          queries.add(random.nextInt(4) == 0 ? q.withTag("t1") : q);
        }
        // The queries of one call may land in different micro-batches that run in parallel, so
        // versions are only ordered between calls: compare with what earlier calls returned.
        Map<String, Long> thisCall = new HashMap<>();
        for (RetrievalResult result : manager.retrieve(queries)) {
          for (RetrievedExperience r : result.experiences()) {
            ExperienceEntry e = r.entry();
            assertIntact(e);
            Long before = seen.get(e.id());
            if (before != null && before > e.version()) {
              failures.add("version of " + e.id() + " went back from " + before + " to " + e.version());
            }
            thisCall.merge(e.id(), e.version(), Math::max);
            result.query().environmentTag().ifPresent(tag -> {
              if (!e.tags().contains(tag)) {
                failures.add("tag filter " + tag + " returned " + e.tags());
              }
            });
          }
        }
        thisCall.forEach((id, version) -> seen.merge(id, version, Math::max));
        retrievals.addAndGet(n);
      }
    } catch (RuntimeException | AssertionError e) {
      failures.add(Thread.currentThread().getName() + ": " + e);
    }
  }

  private void checkWhileRunning(ExperienceManager manager, ExperienceStore store, long deadline) {
    while (System.nanoTime() < deadline) {
      List<ExperienceEntry> all = manager.entries();
      Set<String> ids = new HashSet<>();
      for (ExperienceEntry e : all) {
        if (!ids.add(e.id())) {
          failures.add("duplicate id while running: " + e.id());
        }
      }
      if (all.size() > 300) {
        failures.add("bank over capacity: " + all.size());
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** A torn entry would pair a title, content or vector from different writes. */
  private void assertIntact(ExperienceEntry e) {
    String expectedTitle = titleFor(e.content());
    if (!e.title().equals(expectedTitle)) {
      failures.add("torn entry " + e.id() + ": title " + e.title() + " does not match its content");
    }
    if (!Arrays.equals(reference.embed(e.lessonText()), e.embedding())) {
      failures.add("torn entry " + e.id() + ": vector does not match its text");
    }
  }

  private static String goal(ThreadLocalRandom random) {
    return WORDS.get(random.nextInt(WORDS.size())) + " the " + WORDS.get(random.nextInt(WORDS.size()));
  }

  static String titleFor(String content) {
    return "T" + Integer.toHexString(content.hashCode());
  }

  /** Takes a few milliseconds per prompt, like a model; one call waits to prove readers move on. */
  private final class SlowExtractor implements ExtractorModel {
    private final AtomicLong counter = new AtomicLong();

    @Override
    public List<String> complete(List<String> prompts) {
      long started = retrievals.get();
      if (!probeDone.get() && started > 1_000 && probeDone.compareAndSet(false, true)) {
        // Hold this model call until readers have completed 500 more retrievals (or give up).
        long until = System.nanoTime() + 20_000_000_000L;
        while (retrievals.get() < started + 500 && System.nanoTime() < until) {
          sleep(5);
        }
        readsProgressedDuringModelCall.set(retrievals.get() >= started + 500);
      }
      sleep(2 + prompts.size());
      List<String> out = new ArrayList<>();
      for (String p : prompts) {
        out.add(p.startsWith("You maintain a bank of lessons that help an agent solve tasks. Below is a window")
            ? mergeAnswer(p) : distillAnswer(p));
      }
      return out;
    }

    private String distillAnswer(String prompt) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      int shown = 0;
      Matcher m = SHOWN.matcher(prompt);
      while (m.find()) {
        shown++;
      }
      String content = WORDS.get(random.nextInt(WORDS.size())) + " " + WORDS.get(random.nextInt(WORDS.size()))
          + " lesson " + counter.incrementAndGet();
      String lesson = "<title>" + titleFor(content) + "</title><content>" + content + "</content>";
      if (shown > 0 && random.nextInt(10) < 4) {
        String targets = shown > 1 && random.nextBoolean() ? "0, 1" : "0";
        return "<answer>[{\"option\": \"update\", \"target_idx\": [" + targets + "], \"new_memory\": \"" + lesson + "\"}]</answer>";
      }
      if (random.nextInt(10) == 0) {
        return "<answer>[{\"option\": \"return\"}]</answer>";
      }
      if (random.nextInt(20) == 0) {
        return "<answer>[{\"option\": \"update\", \"target_idx\": [9], \"new_memory\": \"" + lesson + "\"}]</answer>";
      }
      return "<answer>[{\"option\": \"add\", \"new_memory\": \"" + lesson + "\"}]</answer>";
    }

    private String mergeAnswer(String prompt) {
      int items = 0;
      Matcher m = SHOWN.matcher(prompt);
      while (m.find()) {
        items++;
      }
      StringBuilder out = new StringBuilder("<answer>\n");
      int start = 0;
      if (items >= 2) {
        String content = "merged lesson " + counter.incrementAndGet();
        out.append("### 0,1: MERGE\n<title>").append(titleFor(content)).append("</title><content>")
            .append(content).append("</content>\n");
        start = 2;
      }
      for (int i = start; i < items; i++) {
        out.append("### ").append(i).append(i % 4 == 3 ? ": DISCARD\n" : ": RETURN\n");
      }
      return out.append("</answer>").toString();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
