package dev.crl.stores;

import java.net.URI;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/** A real S3 API server (S3Proxy over a directory) running in this JVM on 127.0.0.1. */
final class S3ProxyServer implements AutoCloseable {

  static final String ACCESS_KEY = "crl-test-access";
  static final String SECRET_KEY = "crl-test-secret-key-0123456789";

  private final S3Proxy proxy;
  private final int port;

  S3ProxyServer(Path dataDir) throws Exception {
    this.port = TestSupport.freePort();
    this.proxy =
        S3Proxy.builder()
            .blobStore(new FilesystemNio2BlobStore(dataDir.toString()))
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    long deadline = System.currentTimeMillis() + 30_000;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
      }
      Thread.sleep(20);
    }
  }

  int port() {
    return port;
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
