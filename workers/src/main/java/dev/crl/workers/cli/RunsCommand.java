package dev.crl.workers.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.RunSpec;
import dev.crl.workers.UserError;
import dev.crl.workers.runtime.EmbeddedRuntime;
import dev.crl.workers.runtime.ProjectHome;
import dev.crl.workers.runtime.RunDirectory;
import dev.crl.workers.runtime.RunFollower;
import dev.crl.workers.runtime.RunLauncher;
import dev.crl.workers.runtime.RunResumer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code crl runs}: list, inspect and resume runs, and control running ones (status, pause,
 * unpause, stop, set) through Temporal.
 */
@Command(name = "runs", mixinStandardHelpOptions = true,
    description = {"List, inspect and resume training runs; follow and control running ones.",
        "status, pause, unpause, stop and set talk to the run's workflow through Temporal while the",
        "run goes on in another process. 'resume' is different: it restarts a run whose process or",
        "workflow has ended."},
    subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class, RunsCommand.Resume.class,
        RunControlCommands.Status.class, RunControlCommands.Pause.class, RunControlCommands.Unpause.class,
        RunControlCommands.Stop.class, RunControlCommands.SetHyperparameter.class})
public class RunsCommand extends CommandGroup {
  private static final ObjectMapper JSON = new ObjectMapper();


  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the runs under a folder.")
  static class ListRuns implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", defaultValue = "runs", description = "Folder of run directories (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      if (!Files.isDirectory(dir)) {
        out.println("no runs under " + dir);
        return 0;
      }
      try (Stream<Path> runs = Files.list(dir)) {
        List<Path> sorted = runs.filter(p -> Files.isRegularFile(p.resolve(RunDirectory.RUN_FILE))).sorted().toList();
        out.println(String.format(Locale.ROOT, "%-40s %-12s %-10s %s", "run directory", "status", "iterations", "last eval"));
        for (Path p : sorted) {
          JsonNode report = readReport(p);
          out.println(String.format(Locale.ROOT, "%-40s %-12s %-10s %s", p,
              report == null ? "unfinished" : report.path("status").asText(),
              report == null ? "-" : report.path("iterations").asText(),
              report == null || report.path("eval").isEmpty() ? "-"
                  : String.format(Locale.ROOT, "%.3f", report.path("eval").get(report.path("eval").size() - 1).path("success").asDouble())));
        }
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show a run: identity, evaluation history and the last iterations' metrics.")
  static class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "Run directory.")
    Path dir;

    @Option(names = "--last", defaultValue = "10", description = "Iterations of metrics to show (default: ${DEFAULT-VALUE}).")
    int last;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      RunDirectory run = RunDirectory.open(dir);
      run.identity().forEach((k, v) -> out.println(String.format(Locale.ROOT, "%-14s %s", k, v)));
      JsonNode report = readReport(dir);
      if (report == null) {
        out.println("no report yet: the run has not finished (resume it with 'crl runs resume " + dir + "')");
        LocalMetrics.print(run, last, out);
        return 0;
      }
      out.println(String.format(Locale.ROOT, "%-14s %s after %s iterations", "status",
          report.path("status").asText(), report.path("iterations").asText()));
      out.println("evaluation     iteration  success  no-exp  with-exp");
      for (JsonNode e : report.path("eval")) {
        out.println(String.format(Locale.ROOT, "               %9d  %7.3f  %6s  %8s", e.path("iteration").asInt(),
            e.path("success").asDouble(), num(e.path("success_without_experience")), num(e.path("success_with_experience"))));
      }
      JsonNode metrics = report.path("metrics");
      out.println("iteration  success_free  success_guided  reward  bank  actor_loss");
      for (int i = Math.max(0, metrics.size() - last); i < metrics.size(); i++) {
        JsonNode m = metrics.get(i);
        out.println(String.format(Locale.ROOT, "%9d  %12s  %14s  %6s  %4s  %10s", m.path("iteration").asInt(),
            num(m.path("success_free")), num(m.path("success_guided")), num(m.path("reward_mean")),
            m.has("bank_size") ? String.valueOf(m.path("bank_size").asLong()) : "-", num(m.path("actor_loss"))));
      }
      out.println("report         " + dir.resolve(RunDirectory.REPORT_FILE));
      out.println("curves         " + dir.resolve("curves.svg"));
      return 0;
    }

    private static String num(JsonNode n) {
      return n.isNumber() ? String.format(Locale.ROOT, "%.3f", n.asDouble()) : "-";
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true,
      description = {"Resume a run after a crash or after its workflow was terminated.",
          "An open workflow continues where it stopped (embedded Temporal restarts on the run's",
          "database); a closed one starts a new execution from its latest checkpoint and bank."})
  static class Resume implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "Run directory.")
    Path dir;

    @Override
    public Integer call() {
      PrintWriter writer = spec.commandLine().getOut();
      var out = new java.io.PrintStream(new PrintWriterStream(writer), true);
      RunDirectory run = RunDirectory.open(dir);
      RunSpec runSpec = SpecLoading.resolveMixtures(SpecLoading.loader().load(run.specFile()));
      runSpec = dev.crl.api.spec.BackendOverrides.apply(runSpec, System.getenv());
      try (EmbeddedRuntime runtime = EmbeddedRuntime.start(runSpec, run, ProjectHome.find(), out)) {
        TrainCommand.recordTemporal(run, runtime);
        RunLauncher.RunHandle handle = new RunResumer(runtime).resume(run, runSpec, out);
        RunSummary summary = RunFollower.followToEnd(handle, run, runtime, out);
        return "failed".equals(summary.status()) ? 1 : 0;
      }
    }
  }

  static JsonNode readReport(Path dir) {
    Path report = dir.resolve(RunDirectory.REPORT_FILE);
    if (!Files.isRegularFile(report)) {
      return null;
    }
    try {
      return JSON.readTree(report.toFile());
    } catch (IOException e) {
      throw new UserError(report + " is not valid JSON: " + e.getMessage());
    }
  }
}
