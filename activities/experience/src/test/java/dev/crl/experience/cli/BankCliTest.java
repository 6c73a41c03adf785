package dev.crl.experience.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.experience.DistillationRequest;
import dev.crl.experience.ExperienceManager;
import dev.crl.experience.ExperienceManagerConfig;
import dev.crl.experience.ScriptedExtractor;
import dev.crl.experience.TestBanks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BankCliTest {

  @Test
  void searchAndShowReadTheNewestSnapshotOfARun(@TempDir Path run) throws IOException {
    ScriptedExtractor extractor = new ScriptedExtractor(p -> ScriptedExtractor.noChange());
    String keyId;
    try (ExperienceManager manager = TestBanks.manager(extractor, ExperienceManagerConfig.defaults())) {
      for (String[] lesson : new String[][] {{"Keys", "pick up the key and open the door"},
          {"River", "push the boulder into the water"}}) {
        extractor.answer(p -> ScriptedExtractor.add(lesson[0], lesson[1]));
        manager.submit(new DistillationRequest("ep-" + lesson[0], "g", "o", true, List.of(), List.of("minihack")));
        manager.drainDistillation();
      }
      keyId = manager.entries().get(0).id();
      Path bankDir = Files.createDirectories(run.resolve("bank"));
      Path old = bankDir.resolve("step-000001.crlbank");
      Files.write(old, new byte[] {1, 2, 3});
      Files.setLastModifiedTime(old, FileTime.fromMillis(1_000));
      try (OutputStream out = Files.newOutputStream(bankDir.resolve("step-000002.crlbank"))) {
        manager.writeSnapshot(out);
      }
    }
    String found = capture(out -> BankCli.search(run, "how do I open the door", 1, out));
    assertTrue(found.contains("bank: 2 entries"), found);
    assertTrue(found.contains("1. " + keyId) && found.contains("Keys"), found);
    assertTrue(!found.contains("River"), found);

    String shown = capture(out -> BankCli.show(run, keyId, out));
    assertTrue(shown.contains("title:     Keys"), shown);
    assertTrue(shown.contains("episodes [ep-Keys]"), shown);
    assertTrue(shown.contains("tags:      [minihack]"), shown);

    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    assertEquals(BankCli.NOT_FOUND, BankCli.show(run, "exp-nope", new PrintStream(buffer, true, StandardCharsets.UTF_8)));
  }

  @Test
  void missingOrDamagedSnapshotsGiveClearErrors(@TempDir Path dir) throws IOException {
    IOException none = assertThrows(IOException.class, () -> BankCli.search(dir, "q", 1, System.out));
    assertTrue(none.getMessage().contains("no *.crlbank"), none.getMessage());
    Path bad = dir.resolve("x.crlbank");
    Files.writeString(bad, "garbage");
    IOException damaged = assertThrows(IOException.class, () -> BankCli.show(bad, "exp-1", System.out));
    assertTrue(damaged.getMessage().contains("not a crl bank snapshot"), damaged.getMessage());
  }

  private interface Command {
    int run(PrintStream out) throws IOException;
  }

  private static String capture(Command command) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    assertEquals(0, command.run(new PrintStream(buffer, true, StandardCharsets.UTF_8)));
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
