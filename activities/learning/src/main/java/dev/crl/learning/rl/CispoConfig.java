package dev.crl.learning.rl;

/**
 * Settings of the extractor's CISPO update.
 *
 * @param epsilonLow lower clip of the importance weight is 1 - epsilonLow (paper: 0.1)
 * @param epsilonHigh upper clip of the importance weight is 1 + epsilonHigh (paper: 0.1)
 */
public record CispoConfig(double epsilonLow, double epsilonHigh) {
  public CispoConfig {
    if (!(epsilonLow >= 0 && epsilonLow < 1) || !(epsilonHigh >= 0)) {
      throw new IllegalArgumentException("CISPO clip bounds must satisfy 0 <= low < 1 and high >= 0");
    }
  }

  public static CispoConfig defaults() {
    return new CispoConfig(0.1, 0.1);
  }
}
