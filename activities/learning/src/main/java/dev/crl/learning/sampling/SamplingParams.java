package dev.crl.learning.sampling;

import java.util.List;

/**
 * How one row is sampled. A temperature of 0 means greedy decoding; {@code topK} 0 and
 * {@code topP} 1 switch those filters off.
 *
 * @param maxNewTokens upper bound on generated tokens for this row
 * @param temperature softmax temperature, 0 for greedy
 * @param topP nucleus mass kept, in (0, 1]
 * @param topK number of most likely tokens kept, 0 for all
 * @param stopSequences texts that end the row once they appear in its decoded output
 * @param constraint optional grammar that restricts which tokens may follow, or null
 */
public record SamplingParams(
    int maxNewTokens, double temperature, double topP, int topK, List<String> stopSequences, TokenConstraint constraint) {

  public SamplingParams {
    if (maxNewTokens <= 0) {
      throw new IllegalArgumentException("maxNewTokens must be positive, got " + maxNewTokens);
    }
    if (temperature < 0 || Double.isNaN(temperature)) {
      throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
    }
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be >= 0, got " + topK);
    }
    stopSequences = stopSequences == null ? List.of() : List.copyOf(stopSequences);
  }

  /** Greedy decoding. */
  public static SamplingParams greedy(int maxNewTokens) {
    return new SamplingParams(maxNewTokens, 0, 1, 0, List.of(), null);
  }

  /** The paper's actor settings: temperature 0.99, top-p 0.99, top-k 100. */
  public static SamplingParams actorDefaults(int maxNewTokens) {
    return new SamplingParams(maxNewTokens, 0.99, 0.99, 100, List.of(), null);
  }

  /** Plain sampling at a temperature with no filtering. */
  public static SamplingParams sample(int maxNewTokens, double temperature) {
    return new SamplingParams(maxNewTokens, temperature, 1, 0, List.of(), null);
  }

  public SamplingParams withStopSequences(List<String> stops) {
    return new SamplingParams(maxNewTokens, temperature, topP, topK, stops, constraint);
  }

  public SamplingParams withConstraint(TokenConstraint c) {
    return new SamplingParams(maxNewTokens, temperature, topP, topK, stopSequences, c);
  }

  public SamplingParams withMaxNewTokens(int n) {
    return new SamplingParams(n, temperature, topP, topK, stopSequences, constraint);
  }
}
