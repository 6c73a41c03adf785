package dev.crl.experience;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One lesson in the experience bank: the paper's {@code <title>…</title><content>…</content>} plus
 * what retrieval and training need around it. Entries are immutable; every change makes a new
 * record, so a reader can never see half of a write.
 *
 * @param id stable identifier, unique in the bank
 * @param title short title of the lesson
 * @param content body of the lesson
 * @param tags environment / task tags used to filter retrieval
 * @param embedding unit-length embedding of {@link #embeddingText()}
 * @param stats usage statistics
 * @param provenance where the entry came from
 * @param version content version; starts at 1 and grows by one with every content change
 */
public record ExperienceEntry(
    String id,
    String title,
    String content,
    List<String> tags,
    float[] embedding,
    EntryStats stats,
    Provenance provenance,
    long version) {

  public ExperienceEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(content, "content");
    tags = List.copyOf(Objects.requireNonNull(tags, "tags"));
    Objects.requireNonNull(embedding, "embedding");
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(provenance, "provenance");
    if (id.isBlank()) {
      throw new IllegalArgumentException("entry id is blank");
    }
    if (version < 1) {
      throw new IllegalArgumentException("entry version must be at least 1, got " + version);
    }
    // The record owns its vector: a caller mutating its array afterwards must not change the bank.
    embedding = embedding.clone();
  }

  /** The text that is embedded for this entry: the lesson as the extractor wrote it. */
  public String embeddingText() {
    return LessonText.render(title, content);
  }

  /** The lesson as the actor and the extractor see it. */
  public String lessonText() {
    return LessonText.render(title, content);
  }

  /** A copy of the embedding (the record's own array is never handed out). */
  @Override
  public float[] embedding() {
    return embedding.clone();
  }

  /** The same entry with new statistics; content and version are unchanged. */
  public ExperienceEntry withStats(EntryStats newStats) {
    return new ExperienceEntry(id, title, content, tags, embedding, newStats, provenance, version);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ExperienceEntry other)) {
      return false;
    }
    return version == other.version
        && id.equals(other.id)
        && title.equals(other.title)
        && content.equals(other.content)
        && tags.equals(other.tags)
        && Arrays.equals(embedding, other.embedding)
        && stats.equals(other.stats)
        && provenance.equals(other.provenance);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, title, content, tags, Arrays.hashCode(embedding), stats, provenance, version);
  }

  @Override
  public String toString() {
    return "ExperienceEntry[id=" + id + ", version=" + version + ", title=" + title + ", tags=" + tags + "]";
  }
}
