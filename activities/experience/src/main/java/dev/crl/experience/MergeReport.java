package dev.crl.experience;

import java.util.List;

/**
 * What one merge pass did.
 *
 * @param windows windows sent to the extractor
 * @param rejectedWindows windows whose answer was rejected (bank unchanged for them)
 * @param applied the bank changes, in order
 * @param samples prompt/response pairs of the accepted windows
 */
public record MergeReport(int windows, int rejectedWindows, List<AppliedOperation> applied, List<ExtractorSample> samples) {

  public MergeReport {
    applied = List.copyOf(applied);
    samples = List.copyOf(samples);
  }
}
