package dev.crl.workers.cli;

import dev.crl.stores.LocalMetricsSink;
import dev.crl.stores.MetricPoint;
import dev.crl.stores.RunSnapshot;
import dev.crl.workers.runtime.RunDirectory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** Prints the local metric files of a run that has no report yet. */
final class LocalMetrics {
  private static final List<String> SHOWN = List.of("success_free", "success_guided", "reward_mean", "bank_size", "actor_loss");

  private LocalMetrics() {}

  static void print(RunDirectory run, int last, PrintWriter out) {
    var sink = new LocalMetricsSink(run.metrics());
    if (!Files.isDirectory(sink.runDirectory(run.runId()))) {
      out.println("no local metrics (the run logs to MLflow, or has not logged yet)");
      return;
    }
    RunSnapshot snapshot = sink.readRun(run.runId());
    TreeSet<Long> steps = new TreeSet<>();
    SHOWN.forEach(k -> snapshot.series(k).forEach(p -> steps.add(p.step())));
    out.println("iteration  " + String.join("  ", SHOWN));
    for (long step : steps.descendingSet().stream().limit(last).sorted().toList()) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%9d", step));
      for (String k : SHOWN) {
        double v = snapshot.series(k).stream().filter(p -> p.step() == step).mapToDouble(MetricPoint::value)
            .findFirst().orElse(Double.NaN);
        row.append(String.format(Locale.ROOT, "  %" + k.length() + "s", Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v)));
      }
      out.println(row);
    }
  }
}
