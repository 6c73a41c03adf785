package dev.crl.experience;

import java.util.Objects;
import java.util.Optional;

/**
 * One retrieval at episode start. The text that is embedded is rendered from the
 * {@code retrieval-query.txt} template as "goal: …, observation: …", like the paper's code.
 *
 * @param goal the task description
 * @param firstObservation the environment's first observation
 * @param environmentTag when present, only entries carrying this tag are candidates
 * @param k how many entries to return (the paper uses 1)
 */
public record RetrievalQuery(String goal, String firstObservation, Optional<String> environmentTag, int k) {

  public RetrievalQuery {
    Objects.requireNonNull(goal, "goal");
    Objects.requireNonNull(firstObservation, "firstObservation");
    Objects.requireNonNull(environmentTag, "environmentTag");
    if (k < 1 || k > 64) {
      throw new IllegalArgumentException("k must be in 1..64, got " + k);
    }
  }

  /** A top-1 query without a tag filter. */
  public static RetrievalQuery of(String goal, String firstObservation) {
    return new RetrievalQuery(goal, firstObservation, Optional.empty(), 1);
  }

  /** The same query restricted to entries tagged {@code tag}. */
  public RetrievalQuery withTag(String tag) {
    return new RetrievalQuery(goal, firstObservation, Optional.of(tag), k);
  }

  /** The same query asking for {@code newK} entries. */
  public RetrievalQuery withK(int newK) {
    return new RetrievalQuery(goal, firstObservation, environmentTag, newK);
  }
}
