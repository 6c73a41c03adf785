package dev.crl.experience;

import java.util.List;

/** The answer to one {@link RetrievalQuery}: at most k entries, best first (possibly none). */
public record RetrievalResult(RetrievalQuery query, List<RetrievedExperience> experiences) {

  public RetrievalResult {
    experiences = List.copyOf(experiences);
  }
}
