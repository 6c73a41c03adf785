package dev.crl.activities.tracking;

import dev.crl.stores.ObjectKeys;
import dev.crl.stores.ObjectNotFoundException;
import dev.crl.stores.ObjectStore;
import java.nio.file.Path;

/** Copies a finished run's report from the object store into its run directory. */
public final class ReportExport {
  private ReportExport() {}

  /** Returns the path of report.json in {@code dir}. */
  public static Path export(ObjectStore store, String runId, Path dir) {
    String prefix = ObjectKeys.run(runId).prefix() + "report/";
    try {
      store.getToFile(prefix + "report.json", dir.resolve("report.json"));
      store.getToFile(prefix + "curves.svg", dir.resolve("curves.svg"));
    } catch (ObjectNotFoundException e) {
      throw new IllegalStateException("run " + runId + " has no report in " + store
          + " (it did not reach finishTracking)", e);
    }
    return dir.resolve("report.json");
  }
}
