package dev.crl.experience.extractor;

import java.util.Optional;

/**
 * Finds the single {@code <answer>…</answer>} block of a completion. A leading
 * {@code <think>…</think>} part is skipped first, so the model may mention the tags while it
 * thinks. Prose before the answer is tolerated; anything but whitespace after it is not.
 */
final class AnswerBlock {

  private static final String OPEN = "<answer>";
  private static final String CLOSE = "</answer>";
  private static final String THINK_CLOSE = "</think>";

  private AnswerBlock() {}

  /** The text between the answer tags, or empty when the completion does not have exactly one block. */
  static Optional<String> extract(String completion) {
    if (completion == null) {
      return Optional.empty();
    }
    String text = completion;
    int thinkEnd = text.lastIndexOf(THINK_CLOSE);
    if (thinkEnd >= 0) {
      text = text.substring(thinkEnd + THINK_CLOSE.length());
    }
    int open = text.indexOf(OPEN);
    if (open < 0 || text.indexOf(OPEN, open + 1) >= 0) {
      return Optional.empty();
    }
    int close = text.indexOf(CLOSE, open);
    if (close < 0 || text.indexOf(CLOSE, close + 1) >= 0) {
      return Optional.empty();
    }
    if (!text.substring(close + CLOSE.length()).isBlank()) {
      return Optional.empty();
    }
    return Optional.of(text.substring(open + OPEN.length(), close));
  }
}
