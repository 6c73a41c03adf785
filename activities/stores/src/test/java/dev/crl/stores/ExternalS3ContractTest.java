package dev.crl.stores;

import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The object-store contract against an S3 server running outside the JVM (a MinIO server built
 * from the Go module proxy, S3Proxy started by infra/local/start-s3proxy.sh, or real S3).
 * Skipped unless CRL_S3_ENDPOINT is set; credentials come from AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY, the bucket from CRL_S3_BUCKET (default crl-contract).
 */
@EnabledIfEnvironmentVariable(named = "CRL_S3_ENDPOINT", matches = ".+")
class ExternalS3ContractTest extends ObjectStoreContract {

  private static S3ObjectStore store;

  @BeforeAll
  static void connect() {
    String bucket = System.getenv().getOrDefault("CRL_S3_BUCKET", "crl-contract");
    store =
        new S3ObjectStore(
            S3StoreConfig.builder()
                .setEndpoint(System.getenv("CRL_S3_ENDPOINT"))
                .setBucket(bucket)
                .optPrefix("contract-" + UUID.randomUUID().toString().substring(0, 8))
                .build());
  }

  @AfterAll
  static void disconnect() {
    if (store != null) {
      store.list("").forEach(store::delete);
      store.close();
    }
  }

  @Override
  ObjectStore store() {
    return store;
  }
}
