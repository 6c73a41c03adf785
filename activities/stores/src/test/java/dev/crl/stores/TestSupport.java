package dev.crl.stores;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Helpers shared by the tests: repository root, tools, free ports. Public because other modules
 * use them too, through this module's test jar (the workers' whole-run fault tests).
 */
public final class TestSupport {

  /**
   * Length of the injected S3 and MLflow outages; 4 s keeps the suite fast, {@code
   * -Dcrl.outageSeconds=30} reproduces the "unreachable for 30 s" by hand.
   */
  public static final int OUTAGE_SECONDS = Integer.getInteger("crl.outageSeconds", 4);

  private TestSupport() {}

  /**
   * A free port on 127.0.0.1 below the kernel's ephemeral range. Ports inside that range are
   * unsafe for servers the tests stop on purpose: Linux may hand the same number to a client as
   * its source port, and a client connecting to a closed loopback port can then connect to
   * itself (TCP simultaneous open) instead of being refused.
   */
  public static int freePort() {
    int ephemeralLow = 32768;
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).strip();
      ephemeralLow = Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      // Not Linux or not readable: keep the usual default.
    }
    int low = 10_000;
    int high = Math.max(low + 1000, ephemeralLow) - 1;
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = low + random.nextInt(high - low);
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return port;
      } catch (IOException inUse) {
        // try another one
      }
    }
    throw new UncheckedIOException(new IOException("no free port in " + low + "-" + high));
  }

  /** The checkout root: the first directory upwards from user.dir that holds {@code mvnw}. */
  public static Path repoRoot() {
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
  public static Path requireTool(String name) {
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
