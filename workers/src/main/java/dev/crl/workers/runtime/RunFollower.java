package dev.crl.workers.runtime;

import dev.crl.api.payload.EvalResult;
import dev.crl.api.payload.RunSummary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/** Follows a run to its end: progress lines while it runs, then the summary and the report. */
public final class RunFollower {
  private RunFollower() {}

  /** Blocks until the run ends, printing progress; exports the report into the run directory. */
  public static RunSummary followToEnd(
      RunLauncher.RunHandle run, RunDirectory dir, EmbeddedRuntime runtime, PrintStream out) {
    long start = System.nanoTime();
    CompletableFuture<RunSummary> result = CompletableFuture.supplyAsync(run::result);
    new ProgressPrinter(out).follow(run, result);
    RunSummary summary = result.join();
    double minutes = (System.nanoTime() - start) / 60e9;
    out.println();
    out.println(String.format(Locale.ROOT, "run %s %s after %d iterations in %.1f min",
        summary.runId(), summary.status(), summary.iterations(), minutes));
    printEvaluations(summary, out);
    Path report = runtime.resources().exportReport(summary.runId(), dir.path());
    out.println("report        " + report);
    out.println("curves        " + dir.path().resolve("curves.svg"));
    out.println("details       crl runs show " + dir.path());
    return summary;
  }

  /** The evaluation history as a table: the paper's two columns, with and without experience. */
  public static void printEvaluations(RunSummary summary, PrintStream out) {
    if (summary.evalHistory().isEmpty()) {
      return;
    }
    out.println("evaluation    iteration  success(no exp)  success(with exp)");
    for (EvalResult e : summary.evalHistory()) {
      out.println(String.format(Locale.ROOT, "              %9d  %15.3f  %17s", e.iteration(),
          e.successWithout(), Double.isNaN(e.successWith()) ? "-"
              : String.format(Locale.ROOT, "%.3f", e.successWith())));
    }
    EvalResult first = summary.evalHistory().get(0);
    EvalResult last = summary.evalHistory().get(summary.evalHistory().size() - 1);
    out.println(String.format(Locale.ROOT, "change        %+.3f (no exp) from iteration %d to %d",
        last.successWithout() - first.successWithout(), first.iteration(), last.iteration()));
  }
}
