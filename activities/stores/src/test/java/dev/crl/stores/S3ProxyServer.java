package dev.crl.stores;

import java.net.URI;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/** A real S3 API server (S3Proxy over a directory) running in this JVM on 127.0.0.1. */
public final class S3ProxyServer implements AutoCloseable {

  public static final String ACCESS_KEY = "crl-test-access";
  public static final String SECRET_KEY = "crl-test-secret-key-0123456789";

  private final S3Proxy proxy;
  private final int port;

  public S3ProxyServer(Path dataDir) throws Exception {
    this(dataDir, TestSupport.freePort());
  }

  /**
   * A server on a given port. Started again on the port and data directory of a stopped one, it
   * is the same S3 server, with the same objects, coming back after an outage.
   */
  public S3ProxyServer(Path dataDir, int port) throws Exception {
    this.port = port;
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

  public int port() {
    return port;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
