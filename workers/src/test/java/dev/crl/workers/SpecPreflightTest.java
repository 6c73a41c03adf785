package dev.crl.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pre-boot check of {@code crl train}: bad specs stop there, everything else goes on. */
class SpecPreflightTest {
  @TempDir Path dir;

  private int check(ByteArrayOutputStream err, String... args) {
    return SpecPreflight.check(args, new PrintStream(err, true));
  }

  @Test
  void aBadSpecStopsBeforeBootWithTheFieldNamed() throws Exception {
    Path spec = dir.resolve("bad.yaml");
    Files.writeString(spec, "tasks:\n  envs:\n    - id: minihack-room\nbudget:\n  iterations: -3\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(2, check(err, "train", spec.toString(), "--run-dir", dir.resolve("run").toString()));
    assertTrue(err.toString().contains("budget.iterations: '-3'"), err.toString());
    assertTrue(Files.notExists(dir.resolve("run")));
  }

  @Test
  void validSpecsHelpAndOtherCommandsProceed() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertEquals(SpecPreflight.PROCEED, check(err, "train", "--preset", "room-tiny"));
    assertEquals(SpecPreflight.PROCEED, check(err, "train", "--help"));
    assertEquals(SpecPreflight.PROCEED, check(err, "env", "list"));
    assertEquals(SpecPreflight.PROCEED, check(err, "train", "--no-such-option"));
    assertEquals("", err.toString());
  }
}
