package dev.crl.api.spec;

/**
 * One thing wrong with a run spec.
 *
 * @param field dotted path of the field, e.g. {@code algorithm.actor_lr}
 * @param value the offending value as written (may be null for a missing field)
 * @param allowed what would have been accepted
 */
public record SpecProblem(String field, String value, String allowed) {

  /** One line for a terminal: field, bad value, what is allowed. */
  public String describe() {
    String shown = value == null ? "(missing)" : "'" + value + "'";
    return field + ": " + shown + " is not allowed; " + allowed;
  }
}
