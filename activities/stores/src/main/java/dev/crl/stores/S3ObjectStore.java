package dev.crl.stores;

import io.minio.BucketExistsArgs;
import io.minio.DownloadObjectArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.Http;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import java.io.IOException;
import okhttp3.OkHttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@link ObjectStore} on any S3-compatible server (MinIO, S3Proxy, AWS S3) through the MinIO Java
 * client, with path-style requests and SigV4 signing.
 *
 * <p>S3 makes a PUT visible only once it completed, so writes are atomic for readers without
 * extra work. The bucket is checked (and created if allowed) lazily on the first call, so a
 * worker can start while the server is still coming up.
 *
 * <p>This class does not retry by itself: transient faults surface quickly as {@link
 * BackendUnavailableException} and the caller (a Temporal activity retry policy) decides how long
 * to keep trying. Every operation is idempotent, so retrying is always safe.
 */
public final class S3ObjectStore implements ObjectStore {

  /**
   * MinIO's default HTTP client parses every certificate named by SSL_CERT_FILE / SSL_CERT_DIR
   * when it is built, which costs seconds; one shared instance (and connection pool) pays that
   * once per process. Each store derives its own timeouts from it cheaply.
   */
  private static final class SharedHttpClient {
    static final OkHttpClient INSTANCE = Http.newDefaultClient();
  }

  private final S3StoreConfig config;
  private final MinioClient client;
  private volatile boolean bucketReady;

  public S3ObjectStore(S3StoreConfig config) {
    this.config = config;
    try {
      this.client =
          MinioClient.builder()
              .endpoint(config.endpoint())
              .region(config.region())
              .credentials(config.accessKey(), config.secretKey())
              .httpClient(SharedHttpClient.INSTANCE, false)
              .build();
    } catch (RuntimeException e) {
      throw new BackendConfigurationException(
          "bad S3 endpoint '" + config.endpoint() + "': " + e.getMessage(), e);
    }
    // Path-style (http://host/bucket/key) works with every S3 implementation and needs no
    // wildcard DNS; the client would otherwise switch to virtual-host style for AWS endpoints.
    client.disableVirtualStyleEndpoint();
    client.setTimeout(
        config.connectTimeout().toMillis(),
        config.requestTimeout().toMillis(),
        config.requestTimeout().toMillis());
  }

  public S3StoreConfig config() {
    return config;
  }

  @Override
  public void put(String key, byte[] data) {
    String object = objectName(key);
    call(
        "put",
        key,
        () ->
            client.putObject(
                PutObjectArgs.builder()
                    .bucket(config.bucket())
                    .object(object)
                    .data(data, data.length)
                    .contentType("application/octet-stream")
                    .build()));
  }

  @Override
  public void putFile(String key, Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("not a regular file: " + file);
    }
    String object = objectName(key);
    call(
        "put",
        key,
        () ->
            client.uploadObject(
                UploadObjectArgs.builder()
                    .bucket(config.bucket())
                    .object(object)
                    .filename(file.toString())
                    .contentType("application/octet-stream")
                    .build()));
  }

  @Override
  public byte[] get(String key) {
    String object = objectName(key);
    return call(
        "get",
        key,
        () -> {
          try (GetObjectResponse response =
              client.getObject(GetObjectArgs.builder().bucket(config.bucket()).object(object).build())) {
            return response.readAllBytes();
          }
        });
  }

  @Override
  public void getToFile(String key, Path target) {
    String object = objectName(key);
    Path absolute = target.toAbsolutePath();
    Path tmp =
        absolute.resolveSibling(ObjectKeys.TEMP_MARKER + absolute.getFileName() + "-" + UUID.randomUUID());
    try {
      Files.createDirectories(absolute.getParent());
      call(
          "get",
          key,
          () -> {
            client.downloadObject(
                DownloadObjectArgs.builder()
                    .bucket(config.bucket())
                    .object(object)
                    .filename(tmp.toString())
                    .build());
            return null;
          });
      Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new BackendUnavailableException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // Best effort: the temporary name is recognisable and harmless.
      }
    }
  }

  @Override
  public boolean exists(String key) {
    String object = objectName(key);
    try {
      call(
          "stat",
          key,
          () -> client.statObject(StatObjectArgs.builder().bucket(config.bucket()).object(object).build()));
      return true;
    } catch (ObjectNotFoundException e) {
      return false;
    }
  }

  @Override
  public List<String> list(String prefix) {
    ObjectKeys.validatePrefix(prefix);
    return call(
        "list",
        prefix,
        () -> {
          List<String> keys = new ArrayList<>();
          Iterable<Result<Item>> results =
              client.listObjects(
                  ListObjectsArgs.builder()
                      .bucket(config.bucket())
                      .prefix(config.prefix() + prefix)
                      .recursive(true)
                      .build());
          for (Result<Item> result : results) {
            Item item = result.get();
            if (!item.isDir()) {
              keys.add(item.objectName().substring(config.prefix().length()));
            }
          }
          keys.sort(null);
          return keys;
        });
  }

  @Override
  public void delete(String key) {
    String object = objectName(key);
    try {
      call(
          "delete",
          key,
          () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(config.bucket()).object(object).build());
            return null;
          });
    } catch (ObjectNotFoundException e) {
      // Some servers answer NoSuchKey instead of 204; deleting a missing key is a no-op.
    }
  }

  @Override
  public String uri(String key) {
    return "s3://" + config.bucket() + "/" + objectName(key);
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (Exception e) {
      // Closing only releases the connection pool; nothing to recover.
    }
  }

  @Override
  public String toString() {
    return "S3ObjectStore[" + config.endpoint() + " s3://" + config.bucket() + "/" + config.prefix() + "]";
  }

  private String objectName(String key) {
    return config.prefix() + ObjectKeys.validate(key);
  }

  @FunctionalInterface
  private interface S3Call<T> {
    T run() throws Exception;
  }

  private <T> T call(String action, String key, S3Call<T> body) {
    ensureBucket();
    try {
      return body.run();
    } catch (Exception e) {
      throw S3Errors.classify(action, key, config, e);
    }
  }

  private void ensureBucket() {
    if (bucketReady) {
      return;
    }
    synchronized (this) {
      if (bucketReady) {
        return;
      }
      try {
        boolean exists = client.bucketExists(BucketExistsArgs.builder().bucket(config.bucket()).build());
        if (!exists) {
          if (!config.createBucket()) {
            throw new BackendConfigurationException(
                "S3 bucket '" + config.bucket() + "' does not exist at " + config.endpoint()
                    + " and bucket creation is disabled");
          }
          try {
            client.makeBucket(MakeBucketArgs.builder().bucket(config.bucket()).build());
          } catch (ErrorResponseException e) {
            // Another worker may have created it between our check and our call.
            String code = e.errorResponse() == null ? "" : e.errorResponse().code();
            if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
              throw e;
            }
          }
        }
        bucketReady = true;
      } catch (BackendException e) {
        throw e;
      } catch (Exception e) {
        throw S3Errors.classify("open bucket", config.bucket(), config, e);
      }
    }
  }
}
