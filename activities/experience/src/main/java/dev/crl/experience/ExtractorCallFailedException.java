package dev.crl.experience;

/**
 * The extractor model failed or answered with the wrong number of completions. The requests of
 * that call were put back at the head of the queue, so a retry loses nothing.
 */
public final class ExtractorCallFailedException extends RuntimeException {

  ExtractorCallFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
