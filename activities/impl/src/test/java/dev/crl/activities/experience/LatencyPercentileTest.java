package dev.crl.activities.experience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LatencyPercentileTest {

  @Test
  void nearestRankOverOneHundredLatencies() {
    long[] nanos = new long[100];
    for (int i = 0; i < 100; i++) {
      // 100 ms down to 1 ms, out of order on purpose.
      nanos[i] = (100 - i) * 1_000_000L;
    }
    assertEquals(50.0, LatencyPercentile.millis(nanos, 0.50));
    assertEquals(99.0, LatencyPercentile.millis(nanos, 0.99));
    assertEquals(100.0, LatencyPercentile.millis(nanos, 1.0));
    // The input is left as it was.
    assertEquals(100_000_000L, nanos[0]);
  }

  @Test
  void fewLatenciesAndNone() {
    assertEquals(0.0, LatencyPercentile.millis(new long[0], 0.99));
    assertEquals(2.5, LatencyPercentile.millis(new long[] {2_500_000L}, 0.50));
    // With 16 queries the 99th percentile is the slowest one.
    long[] sixteen = new long[16];
    sixteen[7] = 40_000_000L;
    assertEquals(40.0, LatencyPercentile.millis(sixteen, 0.99));
    assertEquals(0.0, LatencyPercentile.millis(sixteen, 0.50));
  }

  @Test
  void aQuantileOutsideTheUnitIntervalIsAnError() {
    assertThrows(IllegalArgumentException.class, () -> LatencyPercentile.millis(new long[] {1}, 0));
    assertThrows(IllegalArgumentException.class, () -> LatencyPercentile.millis(new long[] {1}, 1.5));
  }
}
