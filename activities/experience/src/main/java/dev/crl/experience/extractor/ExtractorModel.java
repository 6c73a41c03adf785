package dev.crl.experience.extractor;

import java.util.List;

/**
 * The extractor LLM as the experience manager sees it: prompts in, completions out, batched. The
 * lead's policy-model adapter implements it; tests use a scripted implementation. The manager
 * never holds a bank lock while calling it, so retrieval never waits on generation.
 */
public interface ExtractorModel {

  /**
   * Completes every prompt. Must return exactly one completion per prompt, in order.
   *
   * @param prompts fully rendered prompts
   * @return the raw completions, including any {@code <think>} part
   */
  List<String> complete(List<String> prompts);

  /** Identifies the checkpoint that produced the completions; recorded in entry provenance. */
  default String checkpoint() {
    return "unversioned";
  }
}
