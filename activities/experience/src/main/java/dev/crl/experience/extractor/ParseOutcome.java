package dev.crl.experience.extractor;

import java.util.List;
import java.util.Objects;

/**
 * Result of parsing one extractor response: either the accepted operations or a rejection with
 * a reason. A rejected response never changes the bank.
 *
 * @param operations accepted operations; empty when rejected
 * @param rejection why the response was rejected, or null when accepted
 * @param detail human-readable detail for logs
 */
public record ParseOutcome<T>(List<T> operations, RejectionReason rejection, String detail) {

  public ParseOutcome {
    operations = List.copyOf(operations);
    Objects.requireNonNull(detail, "detail");
  }

  static <T> ParseOutcome<T> accepted(List<T> operations) {
    return new ParseOutcome<>(operations, null, "accepted");
  }

  static <T> ParseOutcome<T> rejected(RejectionReason reason, String detail) {
    return new ParseOutcome<>(List.of(), reason, detail);
  }

  /** True when the response was accepted. */
  public boolean isAccepted() {
    return rejection == null;
  }
}
