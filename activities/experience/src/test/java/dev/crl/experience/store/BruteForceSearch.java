package dev.crl.experience.store;

import dev.crl.experience.ExperienceEntry;
import dev.crl.experience.embedding.VectorMath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The reference ranking for store tests and the retrieval benchmark's recall: every entry scored
 * against the query in double precision, best first, equal scores in id order.
 */
public final class BruteForceSearch {

  private BruteForceSearch() {}

  /** The ids of the {@code limit} entries of {@code bank} most similar to {@code query}. */
  public static List<String> topIds(List<ExperienceEntry> bank, float[] query, int limit, Optional<String> tag) {
    List<ExperienceEntry> candidates = new ArrayList<>();
    List<Double> scores = new ArrayList<>();
    for (ExperienceEntry e : bank) {
      if (tag.isEmpty() || e.tags().contains(tag.get())) {
        candidates.add(e);
        scores.add(VectorMath.dot(query, e.embedding()));
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.<Integer>comparingDouble(i -> -scores.get(i))
        .thenComparing(i -> candidates.get(i).id()));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, order.size()); i++) {
      ids.add(candidates.get(order.get(i)).id());
    }
    return ids;
  }
}
