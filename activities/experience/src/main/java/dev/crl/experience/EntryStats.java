package dev.crl.experience;

/**
 * Usage statistics of one experience entry.
 *
 * <p>Retrieval counts feed the diversification score (Eq. 6), training counts feed the extractor
 * sample weight (Eq. 7), and the guided outcomes record how often the entry helped the actor.
 *
 * @param timesRetrieved how often retrieval returned the entry to an actor
 * @param timesTrained how often an extractor sample built on the entry was trained on
 * @param lastRetrievedMillis epoch milliseconds of the last retrieval, or -1 if never retrieved
 * @param lastTrainedStep extractor step of the last training on the entry, or -1 if never trained
 * @param guidedSuccesses guided episodes that used the entry and succeeded
 * @param guidedFailures guided episodes that used the entry and failed
 */
public record EntryStats(
    long timesRetrieved,
    long timesTrained,
    long lastRetrievedMillis,
    long lastTrainedStep,
    long guidedSuccesses,
    long guidedFailures) {

  /** Statistics of an entry nobody has used yet. */
  public static final EntryStats NEW = new EntryStats(0, 0, -1, -1, 0, 0);

  public EntryStats {
    if (timesRetrieved < 0 || timesTrained < 0 || guidedSuccesses < 0 || guidedFailures < 0) {
      throw new IllegalArgumentException("usage counters cannot be negative");
    }
  }

  /** The statistics after one more retrieval at {@code nowMillis}. */
  public EntryStats retrievedAt(long nowMillis) {
    return new EntryStats(
        timesRetrieved + 1, timesTrained, nowMillis, lastTrainedStep, guidedSuccesses, guidedFailures);
  }

  /** The statistics after one more extractor training step on a sample built on the entry. */
  public EntryStats trainedAt(long extractorStep) {
    return new EntryStats(
        timesRetrieved, timesTrained + 1, lastRetrievedMillis, extractorStep, guidedSuccesses, guidedFailures);
  }

  /** The statistics after one more guided episode that used the entry. */
  public EntryStats withOutcome(boolean success) {
    return new EntryStats(
        timesRetrieved,
        timesTrained,
        lastRetrievedMillis,
        lastTrainedStep,
        guidedSuccesses + (success ? 1 : 0),
        guidedFailures + (success ? 0 : 1));
  }

  /** Statistics of an entry merged from two: counts add up, the latest timestamps win. */
  public EntryStats combine(EntryStats other) {
    return new EntryStats(
        timesRetrieved + other.timesRetrieved,
        timesTrained + other.timesTrained,
        Math.max(lastRetrievedMillis, other.lastRetrievedMillis),
        Math.max(lastTrainedStep, other.lastTrainedStep),
        guidedSuccesses + other.guidedSuccesses,
        guidedFailures + other.guidedFailures);
  }
}
