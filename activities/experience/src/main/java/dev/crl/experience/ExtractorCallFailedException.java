package dev.crl.experience;

/**
 * Distillation failed before anything was applied: the extractor model failed or answered with the
 * wrong number of completions, or the embedder failed on the new lessons. The requests of that
 * call were put back at the head of the queue, so a retry loses nothing.
 */
public final class ExtractorCallFailedException extends RuntimeException {

  ExtractorCallFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
