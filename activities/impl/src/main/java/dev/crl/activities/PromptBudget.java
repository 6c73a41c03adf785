package dev.crl.activities;

import java.util.Arrays;

/** Fits prompts into a model's context. */
public final class PromptBudget {
  private PromptBudget() {}

  /**
   * The prompt unchanged when it fits {@code budget} tokens, otherwise its last {@code budget}
   * tokens: the end of every prompt here holds what the answer depends on (the observation and
   * actions, or the extractor's answer format).
   */
  public static int[] keepTail(int[] prompt, int budget) {
    int keep = Math.max(8, budget);
    return prompt.length <= keep ? prompt : Arrays.copyOfRange(prompt, prompt.length - keep, prompt.length);
  }
}
