package dev.crl.workers.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crl.api.payload.EvalResult;
import dev.crl.api.payload.HyperparameterChange;
import dev.crl.api.payload.RunStatus;
import dev.crl.workers.UserError;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The control-plane commands under {@code crl runs}: they talk to Temporal directly, so they
 * work from any shell on a machine that reaches the run's Temporal frontend, while the run goes
 * on in another process ({@code crl train}, {@code crl runs resume} or {@code crl worker}s).
 */
final class RunControlCommands {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final String DIR_HELP =
      "Run directory: its run.json names the workflow and the Temporal address (optional with --workflow-id).";

  private RunControlCommands() {}

  /**
   * Where the run is: a run directory (each command's DIR argument), or a workflow id and a
   * Temporal address.
   */
  static class TargetOptions {
    @Option(names = "--workflow-id", paramLabel = "ID",
        description = "Workflow id of the run (crl-run-<run id>), instead of or over a run directory.")
    String workflowId;

    @Option(names = "--address", paramLabel = "HOST:PORT",
        description = "Temporal frontend (default: what DIR records, else CRL_TEMPORAL_ADDRESS, else "
            + RunTarget.DEFAULT_ADDRESS + ").")
    String address;

    @Option(names = "--namespace", paramLabel = "NS",
        description = "Temporal namespace (default: the run's, else CRL_TEMPORAL_NAMESPACE, else default).")
    String namespace;

    RunTarget resolve(Path dir) {
      return RunTarget.resolve(dir, workflowId, address, namespace, System.getenv());
    }

    RunControl connect(Path dir) {
      return RunControl.connect(resolve(dir));
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true,
      description = {"Show where a run is now: iteration, phase, paused or not, last metrics, evaluations.",
          "Answered by the run's workflow (its status query); a closed run shows how it ended."})
  static class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TargetOptions target;

    @Parameters(paramLabel = "DIR", arity = "0..1", description = DIR_HELP)
    Path dir;

    @Option(names = "--json", description = "Print the status as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      RunTarget runTarget = target.resolve(dir);
      RunControl connected;
      try {
        connected = RunControl.connect(runTarget);
      } catch (UserError unreachable) {
        if (!runTarget.embedded() || !runTarget.finished()) {
          throw unreachable;
        }
        // The embedded Temporal service ended with the run's process; the report tells how it went.
        printEnded(out, runTarget, RunsCommand.readReport(runTarget.runDir()));
        return 0;
      }
      try (RunControl control = connected) {
        DescribeWorkflowExecutionResponse described = control.describe(control.target().workflowId());
        WorkflowExecutionStatus state = described.getWorkflowExecutionInfo().getStatus();
        RunStatus status = null;
        String workflowId = control.target().workflowId();
        if (state == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
          // A curriculum between stages has no run to ask; it shows as running without a status.
          java.util.Optional<RunControl.OpenRun> run = control.findOpenRun();
          if (run.isPresent()) {
            workflowId = run.get().workflowId();
            status = control.status(run.get());
          }
        }
        if (json) {
          ObjectNode node = JSON.createObjectNode();
          node.put("workflow_id", workflowId);
          node.put("workflow_status", RunControl.statusName(state));
          node.set("status", JSON.valueToTree(status));
          out.println(JSON.writeValueAsString(node));
        } else {
          print(out, control.target(), workflowId, state, status);
        }
      }
      return 0;
    }

    private void printEnded(PrintWriter out, RunTarget target, JsonNode report) throws Exception {
      if (json) {
        ObjectNode node = JSON.createObjectNode();
        node.put("workflow_id", target.workflowId());
        node.put("workflow_status", "ENDED");
        node.set("status", null);
        node.put("report_status", report.path("status").asText());
        node.put("iterations", report.path("iterations").asInt());
        out.println(JSON.writeValueAsString(node));
        return;
      }
      out.println(row("workflow", target.workflowId() + " (ended; its embedded Temporal service stopped with the"
          + " process that ran it)"));
      out.println(row("status", report.path("status").asText() + " after " + report.path("iterations").asText()
          + " iterations"));
      out.println("'crl runs show " + target.runDir() + "' shows the report");
    }

    private static void print(PrintWriter out, RunTarget target, String workflowId, WorkflowExecutionStatus state,
        RunStatus status) {
      out.println(row("workflow", workflowId + " (" + RunControl.statusName(state) + ") at "
          + target.temporal().address() + ", namespace " + target.temporal().namespace()));
      if (status == null && state == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        out.println("the curriculum is between stages; its next stage run starts in a moment");
        return;
      }
      if (status == null) {
        out.println("the run has ended; 'crl runs show " + (target.runDir() == null ? "DIR" : target.runDir())
            + "' shows its report");
        return;
      }
      out.println(row("run", status.runId()));
      out.println(row("iteration", status.iteration() + " of " + status.iterations()));
      out.println(row("phase", status.phase()));
      out.println(row("paused", status.paused() ? "yes ('crl runs unpause " + target.argument() + "' continues it)"
          : "no"));
      out.println(row("stop requested", status.stopRequested() ? "yes" : "no"));
      Map<String, Double> last = status.lastStats();
      StringBuilder metrics = new StringBuilder();
      for (String key : List.of("success_free", "success_guided", "reward_mean", "bank_size", "actor_loss",
          "iteration_seconds")) {
        if (last.containsKey(key)) {
          metrics.append(String.format(Locale.ROOT, "%s %.3f  ", key, last.get(key)));
        }
      }
      out.println(row("last iteration", metrics.length() == 0 ? "-" : metrics.toString().strip()));
      for (EvalResult e : status.evalHistory()) {
        out.println(row("evaluation", String.format(Locale.ROOT, "iteration %d: success %.3f without experience,"
            + " %.3f with", e.iteration(), e.successWithout(), e.successWith())));
      }
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = {"Pause a running run before its next iteration; the work in flight finishes first.",
          "'crl runs unpause' continues it. (Not to be confused with 'crl runs resume', which restarts",
          "a run whose process or workflow has ended.)"})
  static class Pause implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TargetOptions target;

    @Parameters(paramLabel = "DIR", arity = "0..1", description = DIR_HELP)
    Path dir;

    @Override
    public Integer call() {
      try (RunControl control = target.connect(dir)) {
        RunControl.OpenRun run = control.openRun();
        control.pause(run);
        spec.commandLine().getOut().println("pause requested for " + run.workflowId() + ": the run stops before"
            + " its next iteration; 'crl runs unpause " + control.target().argument() + "' continues it");
      }
      return 0;
    }
  }

  @Command(name = "unpause", mixinStandardHelpOptions = true,
      description = "Let a paused run go on with its next iteration.")
  static class Unpause implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TargetOptions target;

    @Parameters(paramLabel = "DIR", arity = "0..1", description = DIR_HELP)
    Path dir;

    @Override
    public Integer call() {
      try (RunControl control = target.connect(dir)) {
        RunControl.OpenRun run = control.openRun();
        control.unpause(run);
        spec.commandLine().getOut().println("unpause requested for " + run.workflowId() + ": the run goes on");
      }
      return 0;
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = {"Stop a run gracefully: it finishes the current iteration, snapshots its bank,",
          "writes its report and ends with status 'stopped'. A paused run stops too."})
  static class Stop implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TargetOptions target;

    @Parameters(paramLabel = "DIR", arity = "0..1", description = DIR_HELP)
    Path dir;

    @Option(names = "--wait", description = "Wait until the run has ended.")
    boolean await;

    @Option(names = "--timeout", defaultValue = "PT30M", paramLabel = "DURATION",
        description = "Longest wait with --wait, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = spec.commandLine().getOut();
      try (RunControl control = target.connect(dir)) {
        RunControl.OpenRun run = control.openRun();
        control.stop(run);
        out.println("stop requested for " + run.workflowId() + ": the run ends after its current iteration");
        if (!await) {
          return 0;
        }
        WorkflowExecutionStatus end = control.awaitClosed(run.workflowId(), timeout);
        if (end == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
          out.println("the run is still ending after " + timeout + "; 'crl runs status "
              + control.target().argument() + "' follows it");
          return 1;
        }
        out.println("the run has ended: " + RunControl.statusName(end));
        return end == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED ? 0 : 1;
      }
    }
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = {"Change one algorithm hyperparameter of a running run from its next iteration on,",
          "e.g. 'crl runs set runs/my-run actor_lr=5e-6'. The run checks the value with the spec",
          "file's rules and rejects a bad one; algorithm.mode cannot change."})
  static class SetHyperparameter implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TargetOptions target;

    @Parameters(arity = "1..2", paramLabel = "[DIR] KEY=VALUE",
        description = {"Run directory (optional with --workflow-id), then the change: a key under 'algorithm'",
            "in the spec and its new value as written in YAML, e.g. actor_lr=5e-6."})
    List<String> args;

    @Override
    public Integer call() {
      Path dir = args.size() == 2 ? Path.of(args.get(0)) : null;
      String assignment = args.get(args.size() - 1);
      int eq = assignment.indexOf('=');
      if (eq <= 0) {
        throw new UserError("expected KEY=VALUE after the run, e.g. actor_lr=5e-6; got '"
            + assignment + "'");
      }
      String key = assignment.substring(0, eq).strip();
      String value = assignment.substring(eq + 1).strip();
      try (RunControl control = target.connect(dir)) {
        RunControl.OpenRun run = control.openRun();
        control.change(run, new HyperparameterChange(key, value));
        spec.commandLine().getOut().println("algorithm." + key + " = " + value + " from the next iteration of "
            + run.workflowId());
      }
      return 0;
    }
  }

  private static String row(String label, String value) {
    return String.format(Locale.ROOT, "%-15s %s", label, value);
  }
}
