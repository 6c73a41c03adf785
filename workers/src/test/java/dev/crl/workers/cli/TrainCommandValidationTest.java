package dev.crl.workers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A bad spec fails before anything is written, with a message naming the field. The command
 * line is exercised in-process (picocli without Quarkus), exactly as the launcher parses it.
 */
class TrainCommandValidationTest {
  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = CrlCommand.create(new dev.crl.workers.CliErrorHandlerAccess().handler())
        .setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private Result train(String yaml) throws Exception {
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec, yaml);
    return run("train", spec.toString(), "--run-dir", dir.resolve("run").toString());
  }

  @Test
  void aTypoInAKeyIsNamedAndNothingIsWritten() throws Exception {
    Result r = train("tasks:\n  envs:\n    - id: minihack-room\nalgorithm:\n  actr_lr: 0.1\n");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("algorithm.actr_lr") && r.err().contains("did you mean 'actor_lr'"), r.err());
    assertFalse(Files.exists(dir.resolve("run")), "a rejected spec must not create the run directory");
  }

  @Test
  void aNegativeLearningRateIsNamed() throws Exception {
    Result r = train("tasks:\n  envs:\n    - id: minihack-room\nalgorithm:\n  actor_lr: -1e-6\n");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("algorithm.actor_lr: '-1.0E-6' is not allowed"), r.err());
    assertFalse(Files.exists(dir.resolve("run")));
  }

  @Test
  void anUnknownEnvironmentListsTheKnownOnes() throws Exception {
    Result r = train("tasks:\n  envs:\n    - id: nethack-full\n");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("tasks.envs[0].id: 'nethack-full'") && r.err().contains("minihack-room"), r.err());
    assertFalse(Files.exists(dir.resolve("run")));
  }

  @Test
  void specAndPresetTogetherAreRefused() throws Exception {
    Path spec = dir.resolve("s.yaml");
    Files.writeString(spec, "tasks:\n  envs:\n    - id: minihack-room\n");
    Result r = run("train", spec.toString(), "--preset", "room-tiny");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("not both"), r.err());
  }

  @Test
  void everySubcommandHasUsefulHelp() {
    java.util.List<java.util.List<String>> commands = new java.util.ArrayList<>();
    collect(CrlCommand.create(new dev.crl.workers.CliErrorHandlerAccess().handler()), new java.util.ArrayList<>(),
        commands);
    assertTrue(commands.size() > 20, "every command, nested ones included: " + commands);
    for (java.util.List<String> command : commands) {
      java.util.List<String> args = new java.util.ArrayList<>(command);
      args.add("--help");
      Result r = run(args.toArray(String[]::new));
      assertEquals(0, r.code(), String.join(" ", args));
      assertTrue(r.out().contains("Usage: crl " + String.join(" ", command)), r.out());
      String description = r.out().split("\\R", 2)[1];
      assertTrue(description.length() > 40, "crl " + String.join(" ", command) + " --help says too little:\n" + r.out());
    }
  }

  /** Every command path under {@code cmd}: [], [train], [runs], [runs, status] ... */
  private static void collect(CommandLine cmd, java.util.List<String> path, java.util.List<java.util.List<String>> out) {
    out.add(java.util.List.copyOf(path));
    for (var sub : cmd.getSubcommands().entrySet()) {
      if (sub.getValue().getCommandName().equals(sub.getKey())) {
        path.add(sub.getKey());
        collect(sub.getValue(), path, out);
        path.remove(path.size() - 1);
      }
    }
  }

  @Test
  void envListNamesEveryFamily() {
    Result r = run("env", "list");
    assertEquals(0, r.code());
    for (String id : new String[] {"minihack-room", "minihack-maze", "minihack-keyroom", "minihack-river",
        "sokoban", "webshop", "alfworld", "mix-3", "mix-6"}) {
      assertTrue(r.out().contains(id), id + " missing from:\n" + r.out());
    }
  }
}
