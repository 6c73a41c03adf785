package dev.crl.experience;

import java.util.List;

/**
 * The extractor's prompt and response for one accepted answer: its CISPO training example.
 *
 * @param prompt the rendered prompt
 * @param response the raw completion
 * @param producedEntryIds entries the answer added or rewrote (empty for {@code return}); the
 *     sample's reward comes from guided episodes that used these entries
 */
public record ExtractorSample(String prompt, String response, List<String> producedEntryIds) {

  public ExtractorSample {
    producedEntryIds = List.copyOf(producedEntryIds);
  }
}
