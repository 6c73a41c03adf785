package dev.crl.workers.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project checkout (for the tool virtualenv and bundled models). */
public final class ProjectHome {
  private ProjectHome() {}

  /**
   * The {@code crl.home} system property (the launcher sets it), else the nearest ancestor of the
   * working directory that holds the Maven wrapper, else null.
   */
  public static Path find() {
    String prop = System.getProperty("crl.home");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop).toAbsolutePath();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("mvnw"))) {
        return p;
      }
    }
    return null;
  }
}
