package dev.crl.workers.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `crl presets NAME` prints the resolved spec even through a buffered writer, as a terminal's is. */
class PresetsCommandTest {
  @Test
  void aPresetIsPrintedWithEveryDefaultFilledIn() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    // A PrintWriter over a stream buffers, like the one the terminal gets; nothing flushes it here.
    CommandLine cmd = CrlCommand.create(new dev.crl.workers.CliErrorHandlerAccess().handler())
        .setOut(new PrintWriter(bytes));
    assertEquals(0, cmd.execute("presets", "room-tiny"));
    String yaml = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(yaml.contains("name: \"room-tiny\"") && yaml.contains("turn_discount: 0.25")
        && yaml.contains("clip_eps: 0.2"), yaml);
  }
}
