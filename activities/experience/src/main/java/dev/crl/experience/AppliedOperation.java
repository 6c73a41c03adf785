package dev.crl.experience;

/**
 * A change the manager made to the bank.
 *
 * @param kind what happened
 * @param entryId the entry written or removed
 * @param version the entry's version after the change (0 for removals)
 */
public record AppliedOperation(Kind kind, String entryId, long version) {

  /** Kinds of bank change. */
  public enum Kind {
    ADDED,
    UPDATED,
    REMOVED_BY_UPDATE,
    EVICTED,
    REWRITTEN,
    MERGED,
    REMOVED_BY_MERGE,
    DISCARDED
  }
}
