package dev.crl.workers.cli;

import dev.crl.api.spec.BackendOverrides;
import dev.crl.api.spec.BackendsSpec;
import dev.crl.api.spec.RunSpec;
import dev.crl.workers.UserError;
import dev.crl.workers.runtime.RunDirectory;
import dev.crl.workflows.WorkflowIds;
import java.nio.file.Path;
import java.util.Map;

/**
 * The workflow a control command ({@code crl runs status|pause|unpause|stop|set}) acts on and
 * the Temporal frontend that holds it.
 *
 * <p>A run directory names both: its {@code run.json} records the workflow id and, for embedded
 * runs, the address of the Temporal service the launching process started (a dev server on a
 * port chosen at start); a cluster run's spec names the cluster. Without a run directory the
 * workflow id is given directly and the frontend defaults to {@code CRL_TEMPORAL_ADDRESS} or
 * 127.0.0.1:7233.
 *
 * @param temporal how to connect (always as a client of an existing frontend)
 * @param workflowId the training run's (or curriculum's) workflow id
 * @param runDir the run directory the target came from, or null
 */
record RunTarget(BackendsSpec.TemporalBackend temporal, String workflowId, Path runDir) {
  static final String DEFAULT_ADDRESS = "127.0.0.1:7233";

  /**
   * Resolves the target from the command's arguments; options win over what the run directory
   * records.
   *
   * @param dir run directory, or null
   * @param workflowId {@code --workflow-id}, or null
   * @param address {@code --address}, or null
   * @param namespace {@code --namespace}, or null
   * @param env the process environment ({@code CRL_TEMPORAL_ADDRESS}, {@code CRL_TEMPORAL_NAMESPACE})
   */
  static RunTarget resolve(Path dir, String workflowId, String address, String namespace, Map<String, String> env) {
    if (dir == null && workflowId == null) {
      throw new UserError("name the run: a run directory (crl runs status runs/my-run) or --workflow-id ID");
    }
    if (dir == null) {
      String ns = firstOf(namespace, env.get("CRL_TEMPORAL_NAMESPACE"), "default");
      String addr = firstOf(address, env.get("CRL_TEMPORAL_ADDRESS"), DEFAULT_ADDRESS);
      return new RunTarget(clientOf(addr, ns, null), workflowId, null);
    }
    RunDirectory run = RunDirectory.open(dir);
    Map<String, String> identity = run.identity();
    RunSpec spec = BackendOverrides.apply(SpecLoading.loader().load(run.specFile()), env);
    BackendsSpec.TemporalBackend configured = spec.backends().temporal();
    String recorded = "cluster".equals(configured.mode()) ? configured.address() : identity.get("temporal_address");
    String addr = firstOf(address, recorded, null);
    if (addr == null) {
      throw new UserError(dir + " does not record the address of its Temporal service (runs started by an older"
          + " crl do not); pass --address HOST:PORT");
    }
    String ns = firstOf(namespace, identity.get("temporal_namespace"), configured.namespace());
    String defaultId = "true".equals(identity.get("curriculum"))
        ? WorkflowIds.curriculum(run.runId()) : WorkflowIds.run(run.runId());
    String id = firstOf(workflowId, identity.get("workflow_id"), defaultId);
    return new RunTarget(clientOf(addr, ns, configured), id, dir);
  }

  /** Whether the target's Temporal service lived inside the process that launched the run. */
  boolean embedded() {
    return runDir != null && !"cluster".equals(temporal.mode());
  }

  /**
   * Whether the run directory holds the run's final report: the run has ended, and an embedded
   * Temporal service ended with the process that ran it.
   */
  boolean finished() {
    return runDir != null && java.nio.file.Files.isRegularFile(runDir.resolve(RunDirectory.REPORT_FILE));
  }

  /** "workflow X in namespace N at host:port", for messages. */
  String describe() {
    return "workflow '" + workflowId + "' in namespace '" + temporal.namespace() + "' at " + temporal.address();
  }

  /** The argument that names this run again in a follow-up command. */
  String argument() {
    return runDir != null ? runDir.toString() : "--workflow-id " + workflowId;
  }

  private static BackendsSpec.TemporalBackend clientOf(String address, String namespace,
      BackendsSpec.TemporalBackend configured) {
    // The mode records where the service came from (embedded or cluster); the connection is a
    // plain client connection either way, with the spec's TLS files for a cluster.
    String mode = configured == null ? "cluster" : configured.mode();
    return configured == null
        ? new BackendsSpec.TemporalBackend(mode, address, namespace, null, null, null, null)
        : new BackendsSpec.TemporalBackend(mode, address, namespace, configured.taskQueuePrefix(),
            configured.tlsCert(), configured.tlsKey(), configured.tlsCa());
  }

  private static String firstOf(String first, String second, String fallback) {
    if (first != null && !first.isBlank()) {
      return first;
    }
    return second != null && !second.isBlank() ? second : fallback;
  }
}
