package dev.crl.experience.extractor;

import java.util.List;

/** What the extractor decided for items of one merge window (indices into the window). */
public sealed interface MergeDecision {

  /** The items this decision covers. */
  List<Integer> indices();

  /** Keep the item unchanged (the paper's RETURN). */
  record Keep(int index) implements MergeDecision {
    @Override
    public List<Integer> indices() {
      return List.of(index);
    }
  }

  /** Remove the item. */
  record Discard(int index) implements MergeDecision {
    @Override
    public List<Integer> indices() {
      return List.of(index);
    }
  }

  /** Replace the item's lesson. */
  record Rewrite(int index, String title, String content) implements MergeDecision {
    @Override
    public List<Integer> indices() {
      return List.of(index);
    }
  }

  /** Replace two or more items with one merged lesson. */
  record Merge(List<Integer> indices, String title, String content) implements MergeDecision {
    public Merge {
      indices = List.copyOf(indices);
    }
  }
}
