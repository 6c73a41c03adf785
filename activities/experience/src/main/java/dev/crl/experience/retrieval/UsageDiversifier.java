package dev.crl.experience.retrieval;

import dev.crl.experience.ExperienceEntry;
import dev.crl.experience.RetrievedExperience;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Re-ranks search candidates by the paper's usage diversification (Eq. 6):
 * s(m) = s_rank(m) − λ·log(1 + c(m)) − 1[recent(m)], where s_rank is the similarity, c(m) the
 * retrieval count, and the recency indicator is applied to the top-ranked candidate with
 * probability p when it was retrieved within the recency window. Without it the same few entries
 * would be shown to every rollout and the rest of the bank would never be tested.
 */
public final class UsageDiversifier {

  private final double lambda;
  private final long recencyWindowMillis;
  private final double demotionProbability;

  /** A diversifier with the given λ, recency window and top-1 demotion probability. */
  public UsageDiversifier(double lambda, long recencyWindowMillis, double demotionProbability) {
    this.lambda = lambda;
    this.recencyWindowMillis = recencyWindowMillis;
    this.demotionProbability = demotionProbability;
  }

  /** A candidate from the vector search. */
  public record Candidate(ExperienceEntry entry, float similarity) {}

  /**
   * The best {@code k} candidates after re-ranking, best first.
   *
   * @param candidates search hits (any order)
   * @param nowMillis current time
   * @param random source of the demotion coin
   */
  public List<RetrievedExperience> rank(
      List<Candidate> candidates, int k, long nowMillis, RandomGenerator random) {
    List<RetrievedExperience> scored = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      double score = c.similarity() - lambda * Math.log1p(c.entry().stats().timesRetrieved());
      scored.add(new RetrievedExperience(c.entry(), c.similarity(), score));
    }
    Comparator<RetrievedExperience> order =
        Comparator.comparingDouble(RetrievedExperience::score)
            .reversed()
            .thenComparing(r -> r.entry().id());
    scored.sort(order);
    if (!scored.isEmpty()) {
      RetrievedExperience top = scored.get(0);
      long last = top.entry().stats().lastRetrievedMillis();
      boolean recent = last >= 0 && nowMillis - last < recencyWindowMillis;
      if (recent && random.nextDouble() < demotionProbability) {
        scored.set(0, new RetrievedExperience(top.entry(), top.similarity(), top.score() - 1.0));
        scored.sort(order);
      }
    }
    return List.copyOf(scored.subList(0, Math.min(k, scored.size())));
  }
}
