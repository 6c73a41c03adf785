package dev.crl.stores;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.charset.StandardCharsets;

/**
 * A TCP forwarder on 127.0.0.1 in front of a real server, used to inject the faults the stores
 * must survive: the server becoming unreachable (the listening port closes and open connections
 * are cut) and responses lost after the server already acted on a request.
 */
final class FaultProxy implements AutoCloseable {

  private final int targetPort;
  private final int port;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger responsesToDrop = new AtomicInteger();
  private volatile String dropPathFragment = "";
  private final AtomicInteger droppedResponses = new AtomicInteger();
  private volatile ServerSocket listener;
  private volatile Thread acceptor;
  private volatile boolean closed;

  FaultProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    // Not an ephemeral port: see TestSupport.freePort() for why a stopped port must not be one.
    this.port = TestSupport.freePort();
    up();
  }

  int port() {
    return port;
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** Starts accepting and forwarding connections (again). */
  synchronized void up() throws IOException {
    if (listener != null) {
      return;
    }
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    start(socket);
  }

  private void start(ServerSocket socket) {
    listener = socket;
    acceptor = new Thread(() -> acceptLoop(socket), "fault-proxy-accept-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** What listens on the proxy's port (from {@code ss}), for failure messages. */
  String listeners() {
    try {
      Process ss = new ProcessBuilder("ss", "-ltnp").redirectErrorStream(true).start();
      String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      StringBuilder matching = new StringBuilder();
      for (String line : out.split("\n")) {
        if (line.contains(":" + port + " ")) {
          matching.append(line).append('\n');
        }
      }
      return matching.toString();
    } catch (IOException e) {
      return "(ss unavailable: " + e + ")";
    }
  }

  /** Whether anything accepts TCP connections on the proxy's port right now. */
  boolean portAcceptsConnections() {
    try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /** Closes the port and cuts every open connection: clients see "connection refused". */
  synchronized void down() throws IOException {
    if (listener != null) {
      listener.close();
      listener = null;
      // Closing a socket another thread is blocked on may be deferred until that thread wakes;
      // only once the acceptor has exited is the port really closed.
      try {
        acceptor.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Socket socket : open) {
      socket.close();
    }
    open.clear();
  }

  /**
   * The next {@code n} responses to requests whose request line contains {@code pathFragment}
   * are swallowed and their connections cut: the server has acted, the client never hears so.
   */
  void dropNextResponsesTo(String pathFragment, int n) {
    dropPathFragment = pathFragment;
    responsesToDrop.set(n);
  }

  int droppedResponses() {
    return droppedResponses.get();
  }

  @Override
  public void close() throws IOException {
    closed = true;
    down();
  }

  private void acceptLoop(ServerSocket socket) {
    while (!closed && !socket.isClosed()) {
      try {
        Socket client = socket.accept();
        Socket server;
        try {
          server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        } catch (IOException targetDown) {
          client.close();
          continue;
        }
        open.add(client);
        open.add(server);
        AtomicReference<String> lastRequestLine = new AtomicReference<>("");
        pump(client, server, lastRequestLine, false);
        pump(server, client, lastRequestLine, true);
      } catch (IOException e) {
        // Listener closed by down(), or the target refused: the client sees a cut connection.
      }
    }
  }

  private void pump(Socket from, Socket to, AtomicReference<String> lastRequestLine, boolean isResponse) {
    Thread thread =
        new Thread(
            () -> {
              byte[] buffer = new byte[16384];
              try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                  if (!isResponse) {
                    rememberRequestLine(buffer, n, lastRequestLine);
                  } else if (lastRequestLine.get().contains(dropPathFragment)
                      && responsesToDrop.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
                    droppedResponses.incrementAndGet();
                    break;
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // One side closed; closing both below ends the exchange.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "fault-proxy-pump");
    thread.setDaemon(true);
    thread.start();
  }

  /** Keeps the first line of each HTTP request seen on a connection (good enough for tests). */
  private static void rememberRequestLine(byte[] buffer, int n, AtomicReference<String> lastRequestLine) {
    String head = new String(buffer, 0, Math.min(n, 512), StandardCharsets.ISO_8859_1);
    for (String method : new String[] {"GET ", "POST ", "PUT ", "HEAD ", "DELETE "}) {
      if (head.startsWith(method)) {
        int end = head.indexOf('\r');
        lastRequestLine.set(end > 0 ? head.substring(0, end) : head);
        return;
      }
    }
  }

  private void closeQuietly(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
