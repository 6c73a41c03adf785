package dev.crl.activities.experience;

import java.util.List;

/**
 * One extractor sample as the CISPO update consumes it.
 *
 * @param promptTokens the prompt as the extractor saw it
 * @param responseTokens what it generated
 * @param logprobs sampling log-probabilities of the response tokens
 * @param entryIds entries the response wrote
 * @param reward mean outcome of the guided episodes that used those entries, in [-1, 1]
 * @param weight Eq. 7 training-count weight
 */
public record ExtractorTrainingSample(
    int[] promptTokens, int[] responseTokens, float[] logprobs, List<String> entryIds,
    double reward, double weight) {

  public ExtractorTrainingSample {
    entryIds = List.copyOf(entryIds);
  }

  public ExtractorTrainingSample withReward(double r) {
    return new ExtractorTrainingSample(promptTokens, responseTokens, logprobs, entryIds, r, weight);
  }

  public ExtractorTrainingSample withWeight(double w) {
    return new ExtractorTrainingSample(promptTokens, responseTokens, logprobs, entryIds, reward, w);
  }
}
