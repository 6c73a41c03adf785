package dev.crl.workers.runtime;

import dev.crl.activities.WorkerResources;
import dev.crl.api.activity.TaskQueues.Role;
import dev.crl.api.spec.RunSpec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;

/**
 * Everything one run needs in one process: a Temporal service (a dev server or the in-process
 * server in embedded mode, a connection otherwise) and a worker playing every role, over the
 * spec's backends (a local directory, in-process vectors and local metric files by default).
 */
public final class EmbeddedRuntime implements AutoCloseable {
  private final TemporalService temporal;
  private final WorkerResources resources;
  private final WorkerHost host;

  private EmbeddedRuntime(TemporalService temporal, WorkerResources resources, WorkerHost host) {
    this.temporal = temporal;
    this.resources = resources;
    this.host = host;
  }

  /** Starts the runtime for a run directory; {@code log} receives one line per backend. */
  public static EmbeddedRuntime start(RunSpec spec, RunDirectory dir, Path projectHome, PrintStream log) {
    TemporalService temporal = TemporalServices.open(spec.backends().temporal(), dir.path(), projectHome);
    WorkerResources resources = null;
    try {
      resources = WorkerResources.open(spec.backends(), dir.objectStore(), dir.metrics());
      WorkerHost host = WorkerHost.start(temporal, spec.backends().temporal().taskQueuePrefix(),
          EnumSet.allOf(Role.class), resources);
      log.println("temporal      " + temporal.describe());
      log.println("object store  " + resources.describeObjectStore());
      log.println("vector store  " + resources.describeVectorStore());
      log.println("metrics       " + resources.describeMetrics());
      return new EmbeddedRuntime(temporal, resources, host);
    } catch (RuntimeException e) {
      if (resources != null) {
        resources.close();
      }
      temporal.close();
      throw e;
    }
  }

  public WorkerHost host() {
    return host;
  }

  public TemporalService temporal() {
    return temporal;
  }

  public WorkerResources resources() {
    return resources;
  }

  @Override
  public void close() {
    host.close();
    resources.close();
    temporal.close();
  }
}
