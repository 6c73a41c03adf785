package dev.crl.workflows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Regenerates the recorded histories in {@code src/test/resources/histories}. Skipped unless
 * {@code -Dcrl.recordHistories=true} is given, so a normal build never overwrites them; see
 * {@link HistoryScenarios} for the command.
 */
class RecordHistories {

  @Test
  @EnabledIfSystemProperty(named = "crl.recordHistories", matches = "true")
  void recordAll() throws Exception {
    Path moduleDir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    HistoryScenarios.recordAll(moduleDir.resolve("src/test/resources"));
  }
}
