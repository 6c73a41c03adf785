package dev.crl.activities.experience;

import java.util.Arrays;

/** Percentiles of per-query retrieval latencies, for the iteration metrics. */
final class LatencyPercentile {

  private LatencyPercentile() {}

  /**
   * The nearest-rank percentile: the smallest latency that at least {@code quantile} of them do
   * not exceed, in milliseconds; 0 when there are none.
   */
  static double millis(long[] latencyNanos, double quantile) {
    if (quantile <= 0 || quantile > 1) {
      throw new IllegalArgumentException("quantile must be in (0, 1], not " + quantile);
    }
    if (latencyNanos.length == 0) {
      return 0;
    }
    long[] sorted = latencyNanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(quantile * sorted.length);
    return sorted[rank - 1] / 1e6;
  }
}
