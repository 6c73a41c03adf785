package dev.crl.workers.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback port helpers for the servers the embedded runtime starts. */
public final class Ports {
  /** The kernel's range for outgoing connections' local ports, where it cannot be read. */
  private static final int DEFAULT_EPHEMERAL_LOW = 32768;
  /** How many ports below the ephemeral range a free port is drawn from. */
  private static final int SPAN = 12_000;
  private static final int ATTEMPTS = 64;
  /** The range is a kernel setting: reading it once per process is enough. */
  private static final int EPHEMERAL_LOW = ephemeralLow();

  private Ports() {}

  /**
   * A port that was free on 127.0.0.1 a moment ago, drawn at random from below the kernel's
   * ephemeral range. A port the kernel hands out for {@code bind(0)} comes from the same range as
   * the local ports of outgoing connections, so between this call and the server's own bind any
   * new client connection (a Temporal poller reconnecting, say) could take it; a dev server whose
   * HTTP or metrics port is taken that way exits a second after it started serving. Ports below
   * the range are never used for outgoing connections. Falls back to {@code bind(0)} if no port
   * there is free.
   */
  public static int freePort() {
    int high = EPHEMERAL_LOW;
    int low = Math.max(1024, high - SPAN);
    for (int i = 0; i < ATTEMPTS && high > low; i++) {
      int candidate = ThreadLocalRandom.current().nextInt(low, high);
      if (canBind(candidate)) {
        return candidate;
      }
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  /** Whether something accepts TCP connections on 127.0.0.1:{@code port}. */
  public static boolean isOpen(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean canBind(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Lower end of the kernel's ephemeral port range (Linux), or the usual default. */
  static int ephemeralLow() {
    // Read line by line: /proc files report a size of 0, and on Java 17 Files.readString then
    // returned only their first character.
    try (java.io.BufferedReader in = Files.newBufferedReader(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
      String range = in.readLine();
      return Integer.parseInt(range.strip().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return DEFAULT_EPHEMERAL_LOW;
    }
  }
}
