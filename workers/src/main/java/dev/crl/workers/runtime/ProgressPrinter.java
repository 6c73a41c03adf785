package dev.crl.workers.runtime;

import dev.crl.api.payload.RunStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Follows a run and prints one line per finished iteration with success rates, bank size, rate
 * and ETA, so that a long run is never silent.
 */
public final class ProgressPrinter {
  private final PrintStream out;
  private int lastIteration = -1;
  private String lastPhase = "";
  private final long startNanos = System.nanoTime();
  private int firstIterationSeen = -1;

  public ProgressPrinter(PrintStream out) {
    this.out = out;
  }

  /** Polls the run's status until {@code done} completes. */
  public void follow(RunLauncher.RunHandle run, CompletableFuture<?> done) {
    while (!done.isDone()) {
      run.status().ifPresent(this::print);
      try {
        done.get(1, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException stillRunning) {
        // Poll again.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        return;
      }
    }
  }

  void print(RunStatus s) {
    if (firstIterationSeen < 0) {
      firstIterationSeen = s.iteration();
    }
    if (s.iteration() == lastIteration) {
      if (!s.phase().equals(lastPhase) && (s.paused() || s.phase().startsWith("eval"))) {
        out.println("  " + s.phase() + (s.paused() ? " (paused: 'crl runs unpause <run-dir>' continues it)" : ""));
        lastPhase = s.phase();
      }
      return;
    }
    lastIteration = s.iteration();
    lastPhase = s.phase();
    Map<String, Double> st = s.lastStats();
    if (st.isEmpty()) {
      return;
    }
    int done = s.iteration() - firstIterationSeen;
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    double perIter = done > 0 ? elapsed / done : Double.NaN;
    int left = Math.max(0, s.iterations() - s.iteration());
    out.println(String.format(Locale.ROOT,
        "iter %3d/%d  success free %.2f guided %s  reward %.2f  bank %s  %s/it  ETA %s",
        s.iteration(), s.iterations(),
        st.getOrDefault("success_free", Double.NaN),
        fmt(st.get("success_guided")),
        st.getOrDefault("reward_mean", Double.NaN),
        st.containsKey("bank_size") ? String.valueOf(Math.round(st.get("bank_size"))) : "-",
        Double.isNaN(perIter) ? "-" : String.format(Locale.ROOT, "%.1fs", perIter),
        Double.isNaN(perIter) ? "-" : duration(perIter * left)));
  }

  private static String fmt(Double v) {
    return v == null || v.isNaN() ? "  -" : String.format(Locale.ROOT, "%.2f", v);
  }

  static String duration(double seconds) {
    Duration d = Duration.ofSeconds(Math.round(seconds));
    return d.toHours() > 0
        ? String.format(Locale.ROOT, "%dh%02dm", d.toHours(), d.toMinutesPart())
        : String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart());
  }
}
