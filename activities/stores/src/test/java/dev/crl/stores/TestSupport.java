package dev.crl.stores;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Helpers shared by the tests: repository root, tools, free ports. */
final class TestSupport {

  /**
   * Length of the injected S3 and MLflow outages; 4 s keeps the suite fast, {@code
   * -Dcrl.outageSeconds=30} reproduces the "unreachable for 30 s" by hand.
   */
  static final int OUTAGE_SECONDS = Integer.getInteger("crl.outageSeconds", 4);

  private TestSupport() {}

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The checkout root: the first directory upwards from user.dir that holds {@code mvnw}. */
  static Path repoRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no mvnw above " + System.getProperty("user.dir"));
    }
    return dir;
  }

  /**
   * The path of a tool from {@code .crl-tools/venv/bin}. When it is missing the test fails if
   * CRL_REQUIRE_TOOLS=1 (the full test command) and is skipped visibly otherwise.
   */
  static Path requireTool(String name) {
    Path tool = repoRoot().resolve(".crl-tools/venv/bin").resolve(name);
    boolean present = Files.isExecutable(tool);
    String message = tool + " is missing: run infra/local/install-tools.sh";
    if (!present && "1".equals(System.getenv("CRL_REQUIRE_TOOLS"))) {
      fail(message);
    }
    assumeTrue(present, message);
    return tool;
  }
}
