package dev.crl.workers.runtime;

import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testserver.TestServer;

/**
 * Temporal's in-memory Java server, bound to a loopback port so that worker processes started
 * separately can join. It keeps no state on disk: it is the fallback when the {@code temporal}
 * CLI is not installed, and runs survive worker crashes but not the end of this process.
 */
public final class InProcessTemporal implements TemporalService {
  private final TestServer.PortBoundTestServer server;
  private final WorkflowServiceStubs stubs;
  private final int port;

  private InProcessTemporal(TestServer.PortBoundTestServer server, WorkflowServiceStubs stubs, int port) {
    this.server = server;
    this.stubs = stubs;
    this.port = port;
  }

  /** Starts the server on a free port; time skipping is locked so timers run in real time. */
  public static InProcessTemporal start() {
    int port = Ports.freePort();
    TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(port, true);
    WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + port).build());
    return new InProcessTemporal(server, stubs, port);
  }

  public int port() {
    return port;
  }

  @Override
  public String address() {
    return "127.0.0.1:" + port;
  }

  @Override
  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  @Override
  public String namespace() {
    return "default";
  }

  @Override
  public String describe() {
    return "in-process Temporal test server 127.0.0.1:" + port + " (no persistence)";
  }

  @Override
  public void close() {
    stubs.shutdownNow();
    server.close();
  }
}
