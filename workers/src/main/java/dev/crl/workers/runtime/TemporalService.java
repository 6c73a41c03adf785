package dev.crl.workers.runtime;

import io.temporal.serviceclient.WorkflowServiceStubs;

/**
 * A Temporal frontend the process talks to: a dev server it started, an in-process server, or a
 * cluster it connects to. Closing it stops whatever this process started, never a cluster.
 */
public interface TemporalService extends AutoCloseable {

  /** gRPC stubs connected to the frontend. */
  WorkflowServiceStubs stubs();

  /**
   * The frontend's host:port as another process on this machine reaches it; a run directory
   * records it so that {@code crl runs status|pause|unpause|stop} find a running run.
   */
  String address();

  /** The Temporal namespace to use. */
  String namespace();

  /** What this is and where, for progress output, e.g. "temporal dev server 127.0.0.1:7233". */
  String describe();

  @Override
  void close();
}
