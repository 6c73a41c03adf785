package dev.crl.learning.sampling;

/**
 * Restricts generation to a language. A fresh state is made per row; before each token the
 * sampler asks which ids are allowed, then tells the state which id was chosen.
 */
public interface TokenConstraint {

  /** Per-row mutable state. */
  interface State {
    /** Marks allowed ids in {@code allowed} (length = vocabulary size), all false on entry. */
    void allowedTokens(boolean[] allowed);

    /** Advances the state with the chosen id. */
    void accept(int tokenId);

    /** True when the output is complete and generation should stop. */
    boolean isComplete();
  }

  State start();
}
