package dev.crl.environments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvCliTest {

  @Test
  void runPrintsOneJsonObjectPerLine() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int code = EnvCli.runScripted("sokoban", 3, List.of("up", "bogus", "left"), true,
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals(0, code);
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
    ObjectMapper m = new ObjectMapper();
    JsonNode reset = m.readTree(lines[0]);
    assertEquals("reset", reset.get("event").asText());
    assertTrue(reset.get("observation").asText().contains("Map:"));
    JsonNode bogus = m.readTree(lines[2]);
    assertEquals("bogus", bogus.get("action").asText());
    assertTrue(bogus.get("invalid").asBoolean());
    assertTrue(lines.length >= 3);
  }

  @Test
  void playAndListAndUnknownIds() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    assertEquals(0, EnvCli.play("minihack-room", 1,
        new BufferedReader(new StringReader("north\nfly\n")), out));
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("(invalid:"), text);
    assertEquals(0, EnvCli.list(out));
    assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("alfworld-eval"));
    assertEquals(2, EnvCli.runScripted("nope", 0, List.of(), true, out));
  }
}
