package dev.crl.learning.sampling;

/** A constraint whose whole output is exactly one token from a fixed set of ids. */
public final class OneTokenOf implements TokenConstraint {
  private final int[] allowedIds;

  public OneTokenOf(int[] allowedIds) {
    this.allowedIds = allowedIds.clone();
  }

  @Override
  public State start() {
    return new State() {
      private boolean done;

      @Override
      public void allowedTokens(boolean[] allowed) {
        for (int id : allowedIds) {
          allowed[id] = true;
        }
      }

      @Override
      public void accept(int tokenId) {
        done = true;
      }

      @Override
      public boolean isComplete() {
        return done;
      }
    };
  }
}
