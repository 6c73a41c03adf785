package dev.crl.stores;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The object-store contract and the S3-specific failure handling, against S3Proxy in this JVM. */
class S3ObjectStoreTest extends ObjectStoreContract {

  @TempDir static Path serverData;
  private static S3ProxyServer server;
  private static S3ObjectStore store;

  @BeforeAll
  static void startServer() throws Exception {
    server = new S3ProxyServer(serverData);
    store = new S3ObjectStore(config(server.endpoint(), "crl-contract").optPrefix("deploy-a").build());
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (store != null) {
      store.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Override
  ObjectStore store() {
    return store;
  }

  static S3StoreConfig.Builder config(String endpoint, String bucket) {
    return S3StoreConfig.builder()
        .setEndpoint(endpoint)
        .setBucket(bucket)
        .optCredentials(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)
        .optConnectTimeout(Duration.ofSeconds(2))
        .optRequestTimeout(Duration.ofSeconds(10));
  }

  @Test
  void uriIsAnS3UriIncludingThePrefix() {
    assertEquals("s3://crl-contract/deploy-a/x/y.json", store.uri("x/y.json"));
  }

  @Test
  void prefixesIsolateDeploymentsSharingABucket() {
    try (S3ObjectStore other = new S3ObjectStore(config(server.endpoint(), "crl-contract").optPrefix("deploy-b/").build())) {
      other.put(base + "only-in-b", new byte[] {1});
      assertFalse(store.exists(base + "only-in-b"));
      assertEquals(List.of(base + "only-in-b"), other.list(base));
      assertEquals(List.of(), store.list(base));
    }
  }

  @Test
  void aMissingBucketIsCreatedOnFirstUse() {
    try (S3ObjectStore fresh = new S3ObjectStore(config(server.endpoint(), "fresh-bucket-1").build())) {
      fresh.put("k", "v".getBytes(StandardCharsets.UTF_8));
      assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), fresh.get("k"));
    }
  }

  @Test
  void aMissingBucketWithCreationDisabledIsAConfigurationError() {
    try (S3ObjectStore noCreate =
        new S3ObjectStore(config(server.endpoint(), "absent-bucket").optCreateBucket(false).build())) {
      BackendConfigurationException error =
          assertThrows(BackendConfigurationException.class, () -> noCreate.put("k", new byte[1]));
      assertTrue(error.getMessage().contains("absent-bucket"), error.getMessage());
    }
  }

  @Test
  void wrongCredentialsAreNotRetryable() {
    try (S3ObjectStore wrong =
        new S3ObjectStore(
            config(server.endpoint(), "crl-contract").optCredentials(S3ProxyServer.ACCESS_KEY, "wrong-secret").build())) {
      BackendConfigurationException error =
          assertThrows(BackendConfigurationException.class, () -> wrong.get("any"));
      assertFalse(error.isRetryable());
      assertTrue(error.getMessage().contains("SignatureDoesNotMatch") || error.getMessage().contains("Access"), error.getMessage());
    }
  }

  @Test
  void credentialsComeFromTheEnvironmentWhenNotConfigured() {
    S3StoreConfig fromEnv =
        S3StoreConfig.builder()
            .setEndpoint(server.endpoint())
            .setBucket("crl-contract")
            .optEnvironment(
                Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY))
            .build();
    try (S3ObjectStore envStore = new S3ObjectStore(fromEnv)) {
      envStore.put(base + "env", new byte[] {4});
      assertTrue(envStore.exists(base + "env"));
    }
    BackendConfigurationException missing =
        assertThrows(
            BackendConfigurationException.class,
            () -> S3StoreConfig.builder().setEndpoint(server.endpoint()).setBucket("b-b-b").optEnvironment(Map.of()).build());
    assertTrue(missing.getMessage().contains("AWS_ACCESS_KEY_ID"));
    assertFalse(fromEnv.toString().contains(S3ProxyServer.SECRET_KEY), "toString must hide the secret");
  }

  @Test
  void badEndpointsAndBucketNamesAreConfigurationErrors() {
    assertThrows(BackendConfigurationException.class, () -> new S3ObjectStore(config("not a url", "bucket-x").build()));
    assertThrows(BackendConfigurationException.class, () -> config(server.endpoint(), "Bad_Bucket").build());
  }

  @Test
  void anEndpointThatIsNotS3IsAConfigurationError() throws Exception {
    HttpServer notS3 = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    notS3.createContext(
        "/",
        exchange -> {
          byte[] page = "<html>hello</html>".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/html");
          exchange.sendResponseHeaders(404, page.length);
          exchange.getResponseBody().write(page);
          exchange.close();
        });
    notS3.start();
    try (S3ObjectStore wrong =
        new S3ObjectStore(config("http://127.0.0.1:" + notS3.getAddress().getPort(), "crl-contract").build())) {
      BackendException error = assertThrows(BackendException.class, () -> wrong.get("k"));
      assertFalse(error.isRetryable(), error.toString());
    } finally {
      notS3.stop(0);
    }
  }

  @Test
  void serverErrorsAreRetryable() throws Exception {
    HttpServer failing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    failing.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    failing.start();
    try (S3ObjectStore flaky =
        new S3ObjectStore(config("http://127.0.0.1:" + failing.getAddress().getPort(), "crl-contract").build())) {
      BackendException error = assertThrows(BackendException.class, () -> flaky.get("k"));
      assertTrue(error.isRetryable(), error.toString());
      assertTrue(error instanceof BackendUnavailableException, error.toString());
    } finally {
      failing.stop(0);
    }
  }

  @Test
  void anUnreachableServerIsRetryableAndAWriteRetriedAfterTheOutageLandsOnce() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.port());
        S3ObjectStore viaProxy =
            new S3ObjectStore(config(proxy.url(), "crl-contract").optPrefix("deploy-a").build())) {
      String key = base + ObjectKeys.run("outage").rolloutShard(1, 0);
      viaProxy.put(base + "warm-up", new byte[] {0});

      proxy.down();
      assertFalse(proxy.portAcceptsConnections(), () -> "something else listens on port " + proxy.port() + ":\n" + proxy.listeners());
      long start = System.nanoTime();
      BackendUnavailableException refused =
          assertThrows(BackendUnavailableException.class, () -> viaProxy.put(key, new byte[] {1, 2, 3}));
      long failMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(refused.isRetryable());
      assertTrue(failMillis < 15_000, "a refused connection must fail fast, took " + failMillis + " ms");

      // What a Temporal retry policy does, compressed: keep retrying while the server is away.
      Thread restore =
          new Thread(
              () -> {
                try {
                  Thread.sleep(TestSupport.OUTAGE_SECONDS * 1000L);
                  proxy.up();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      restore.start();
      long outageStart = System.nanoTime();
      new Backoff(Duration.ofSeconds(TestSupport.OUTAGE_SECONDS + 60), Duration.ofMillis(200), Duration.ofSeconds(1))
          .run(
              () -> {
                viaProxy.put(key, new byte[] {1, 2, 3});
                return null;
              });
      restore.join();
      System.out.printf(
          "S3 outage of %d s: the retried put landed %d ms after the first retry%n",
          TestSupport.OUTAGE_SECONDS, (System.nanoTime() - outageStart) / 1_000_000);
      assertArrayEquals(new byte[] {1, 2, 3}, store.get(key));
      assertEquals(List.of(key), store.list(base + "runs/outage/"));
    }
  }
}
