package dev.crl.experience.extractor;

import java.util.List;

/** One operation the extractor asked for in its {@code <answer>[…]</answer>}. */
public sealed interface ExtractorOperation {

  /** Adds a new lesson. */
  record Add(String title, String content) implements ExtractorOperation {}

  /**
   * Replaces the lessons at {@code targetIndices} (indices into the "previous lessons" shown in
   * the prompt) with one refined lesson.
   */
  record Update(List<Integer> targetIndices, String title, String content) implements ExtractorOperation {
    public Update {
      targetIndices = List.copyOf(targetIndices);
    }
  }

  /** Leaves the bank as it is. */
  record Return() implements ExtractorOperation {}
}
