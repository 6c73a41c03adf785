package dev.crl.stores;

import java.nio.file.Path;
import java.util.Map;

/** Creates the configured {@link ObjectStore}. */
public final class ObjectStores {

  private ObjectStores() {}

  /**
   * Creates a store of the given kind.
   *
   * @param localRoot the directory of a {@link ObjectStoreKind#LOCAL} store (ignored for S3)
   * @param s3 the settings of an {@link ObjectStoreKind#S3} store (ignored for local; may be null)
   */
  public static ObjectStore create(ObjectStoreKind kind, Path localRoot, S3StoreConfig s3) {
    return switch (kind) {
      case LOCAL -> {
        if (localRoot == null) {
          throw new BackendConfigurationException("a local object store needs a root directory");
        }
        yield new LocalObjectStore(localRoot);
      }
      case S3 -> {
        if (s3 == null) {
          throw new BackendConfigurationException("an S3 object store needs an S3StoreConfig");
        }
        yield new S3ObjectStore(s3);
      }
    };
  }

  /**
   * Creates a store from flat string settings, as they come from a properties file or CLI flags.
   *
   * <p>Keys: {@code root} (local); {@code endpoint}, {@code bucket}, {@code prefix}, {@code
   * access-key}, {@code secret-key}, {@code region}, {@code create-bucket} (s3). Unset S3
   * credentials fall back to {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY}.
   */
  public static ObjectStore create(String kind, Map<String, String> settings) {
    ObjectStoreKind parsed = ObjectStoreKind.parse(kind);
    if (parsed == ObjectStoreKind.LOCAL) {
      String root = settings.get("root");
      if (root == null || root.isBlank()) {
        throw new BackendConfigurationException("object store 'local' needs the setting 'root'");
      }
      return new LocalObjectStore(Path.of(root));
    }
    S3StoreConfig.Builder builder =
        S3StoreConfig.builder()
            .setEndpoint(settings.get("endpoint"))
            .setBucket(settings.get("bucket"))
            .optPrefix(settings.getOrDefault("prefix", ""));
    if (settings.containsKey("access-key") || settings.containsKey("secret-key")) {
      builder.optCredentials(settings.get("access-key"), settings.get("secret-key"));
    }
    if (settings.containsKey("region")) {
      builder.optRegion(settings.get("region"));
    }
    if (settings.containsKey("create-bucket")) {
      builder.optCreateBucket(Boolean.parseBoolean(settings.get("create-bucket")));
    }
    return new S3ObjectStore(builder.build());
  }
}
