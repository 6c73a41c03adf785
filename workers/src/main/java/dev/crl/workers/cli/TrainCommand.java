package dev.crl.workers.cli;

import dev.crl.api.payload.RunSummary;
import dev.crl.api.spec.RunSpec;
import dev.crl.workers.runtime.EmbeddedRuntime;
import dev.crl.workers.runtime.ProjectHome;
import dev.crl.workers.runtime.RunDirectory;
import dev.crl.workers.runtime.RunFollower;
import dev.crl.workers.runtime.RunLauncher;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code crl train}: validates a spec, then runs it to the end with progress and a report. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {
      "Run Complementary RL training described by a YAML spec or a bundled preset.",
      "The spec is validated before anything is written. With no backend configured the run",
      "needs no server: Temporal, object store, vector store and metrics are embedded, and",
      "everything lands in the run directory.",
      "",
      "Examples:",
      "  crl train --preset room-tiny",
      "  crl train my-run.yaml --run-dir runs/my-run"
    })
public class TrainCommand implements Callable<Integer> {
  @Spec CommandSpec command;

  @Parameters(arity = "0..1", paramLabel = "SPEC", description = "Run spec (YAML).")
  Path specFile;

  @Option(names = "--preset", paramLabel = "NAME", description = "Bundled spec; see 'crl presets'.")
  String preset;

  @Option(names = "--run-dir", paramLabel = "DIR",
      description = "Where the run lives (default: runs/<name>-<timestamp>).")
  Path runDir;

  @Option(names = "--run-id", paramLabel = "ID",
      description = "Run id (default: <name>-<random>). Keys every stored object of the run.")
  String runId;

  /** Loads and validates the spec named on the command line, writing nothing. */
  public RunSpec validateOnly() {
    return SpecLoading.load(specFile, preset);
  }

  /**
   * Records where the run's Temporal service listens, so that {@code crl runs status|pause|...}
   * in another shell find it; an embedded service gets a new port each time a process starts it.
   */
  static void recordTemporal(RunDirectory dir, EmbeddedRuntime runtime) {
    dir.putIdentity("temporal_address", runtime.temporal().address());
    dir.putIdentity("temporal_namespace", runtime.temporal().namespace());
  }

  @Override
  public Integer call() {
    RunSpec spec = validateOnly();
    String id = runId != null ? runId : spec.name() + "-" + UUID.randomUUID().toString().substring(0, 8);
    Path dirPath = runDir != null ? runDir : RunDirectory.defaultPath(spec.name());
    RunDirectory dir = RunDirectory.create(dirPath, id, spec,
        Map.of("temporal_mode", spec.backends().temporal().mode(),
            "curriculum", String.valueOf(spec.hasCurriculum())));
    var out = new java.io.PrintStream(new PrintWriterStream(command.commandLine().getOut()), true);
    out.println("run " + id + " in " + dir.path());
    try (EmbeddedRuntime runtime = EmbeddedRuntime.start(spec, dir, ProjectHome.find(), out)) {
      recordTemporal(dir, runtime);
      RunLauncher.RunHandle run = new RunLauncher(runtime.host().client()).start(id, spec);
      dir.putIdentity("workflow_id", run.workflowId());
      RunSummary summary = RunFollower.followToEnd(run, dir, runtime, out);
      return "failed".equals(summary.status()) ? 1 : 0;
    }
  }
}
