package dev.crl.workers.runtime;

import dev.crl.api.spec.BackendsSpec;
import java.nio.file.Path;
import java.util.Optional;

/** Chooses the Temporal service a run uses, following the spec's temporal backend. */
public final class TemporalServices {
  private TemporalServices() {}

  /**
   * Embedded mode: a dev server persisted in {@code runDir/temporal.db} when the Temporal CLI is
   * installed, otherwise the in-process server. Cluster mode: a connection to the cluster.
   */
  public static TemporalService open(BackendsSpec.TemporalBackend config, Path runDir, Path projectHome) {
    if ("cluster".equals(config.mode())) {
      return ClusterTemporal.connect(config);
    }
    Optional<Path> binary = DevServerTemporal.findBinary(projectHome);
    if (binary.isPresent()) {
      return DevServerTemporal.start(binary.get(), runDir.resolve("temporal.db"), 0);
    }
    return InProcessTemporal.start();
  }
}
