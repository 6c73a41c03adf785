package dev.crl.experience;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Where an entry came from.
 *
 * @param sourceEpisodes ids of the episodes whose distillation wrote or refined the entry, oldest first
 * @param extractorCheckpoint the extractor checkpoint that last wrote the entry
 * @param createdMillis epoch milliseconds when the entry was first written
 * @param updatedMillis epoch milliseconds of the last content change
 */
public record Provenance(
    List<String> sourceEpisodes, String extractorCheckpoint, long createdMillis, long updatedMillis) {

  /** Episodes kept per entry; older ones are dropped so that a long-lived entry stays small. */
  public static final int MAX_SOURCE_EPISODES = 32;

  public Provenance {
    sourceEpisodes = List.copyOf(Objects.requireNonNull(sourceEpisodes, "sourceEpisodes"));
    Objects.requireNonNull(extractorCheckpoint, "extractorCheckpoint");
    if (updatedMillis < createdMillis) {
      throw new IllegalArgumentException("updatedMillis precedes createdMillis");
    }
  }

  /** Provenance of an entry after another write from {@code episodes} by {@code checkpoint}. */
  public Provenance rewrittenBy(List<String> episodes, String checkpoint, long nowMillis) {
    return new Provenance(
        appendBounded(sourceEpisodes, episodes), checkpoint, createdMillis, Math.max(updatedMillis, nowMillis));
  }

  /** Provenance of an entry merged from this one and {@code other}. */
  public Provenance mergedWith(Provenance other, String checkpoint, long nowMillis) {
    return new Provenance(
        appendBounded(sourceEpisodes, other.sourceEpisodes),
        checkpoint,
        Math.min(createdMillis, other.createdMillis),
        Math.max(Math.max(updatedMillis, other.updatedMillis), nowMillis));
  }

  private static List<String> appendBounded(List<String> first, List<String> second) {
    LinkedHashSet<String> all = new LinkedHashSet<>(first);
    all.addAll(second);
    List<String> list = new ArrayList<>(all);
    return list.size() <= MAX_SOURCE_EPISODES
        ? list
        : list.subList(list.size() - MAX_SOURCE_EPISODES, list.size());
  }
}
