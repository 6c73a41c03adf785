package dev.crl.experience.store;

/** A Qdrant request failed (server unreachable, timed out, or refused the request). */
public final class QdrantStoreException extends RuntimeException {

  QdrantStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
