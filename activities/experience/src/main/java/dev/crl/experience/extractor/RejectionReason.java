package dev.crl.experience.extractor;

/** Why an extractor response (or one of its operations) was not applied. Each reason is counted. */
public enum RejectionReason {
  /** No {@code <answer>…</answer>} block, or more than one, or text after it. */
  MISSING_ANSWER,
  /** The answer is not a well-formed JSON array of objects. */
  MALFORMED_JSON,
  /** The array is empty or holds more operations than allowed. */
  WRONG_OPERATION_COUNT,
  /** An operation name that is not add, update or return (or a merge decision that is not known). */
  UNKNOWN_OPERATION,
  /** A field is missing, has the wrong type, or an unexpected field is present. */
  BAD_FIELD,
  /** A target index outside the lessons shown in the prompt, or repeated. */
  INDEX_OUT_OF_RANGE,
  /** A lesson that is empty, not in title/content form, or too long. */
  BAD_TEXT,
  /** The operations contradict each other (for example return next to add, or one item decided twice). */
  INCONSISTENT,
  /** An update or merge aimed at an entry that changed or vanished after the prompt was built. */
  STALE_TARGET,
  /** The model returned a different number of completions than prompts. */
  MODEL_FAILURE
}
