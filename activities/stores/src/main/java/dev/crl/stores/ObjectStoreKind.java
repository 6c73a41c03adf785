package dev.crl.stores;

import java.util.Locale;

/** Which {@link ObjectStore} implementation a deployment uses. */
public enum ObjectStoreKind {
  /** {@link LocalObjectStore}: a directory, the embedded default. */
  LOCAL,
  /** {@link S3ObjectStore}: any S3-compatible server. */
  S3;

  /** Parses "local" or "s3" (any case). */
  public static ObjectStoreKind parse(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new BackendConfigurationException(
          "unknown object store kind '" + value + "': use 'local' or 's3'", e);
    }
  }
}
