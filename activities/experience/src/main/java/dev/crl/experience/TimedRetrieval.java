package dev.crl.experience;

import java.util.List;

/**
 * The answers to one {@link ExperienceManager#retrieveTimed} call, in query order, with each
 * query's latency: from joining the micro-batch queue to its answer, so including the wait for
 * earlier batches and for the query's embedding.
 */
public record TimedRetrieval(List<RetrievalResult> results, long[] latencyNanos) {

  public TimedRetrieval {
    results = List.copyOf(results);
    latencyNanos = latencyNanos.clone();
    if (latencyNanos.length != results.size()) {
      throw new IllegalArgumentException(results.size() + " results but " + latencyNanos.length + " latencies");
    }
  }

  /** The latencies, a copy. */
  @Override
  public long[] latencyNanos() {
    return latencyNanos.clone();
  }
}
