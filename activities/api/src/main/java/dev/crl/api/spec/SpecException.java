package dev.crl.api.spec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A run spec that cannot be used. Carries every problem found, so a user fixes them all at once
 * instead of one per attempt.
 */
public class SpecException extends RuntimeException {
  private final String source;
  private final List<SpecProblem> problems;

  public SpecException(String source, List<SpecProblem> problems) {
    super(render(source, problems));
    this.source = source;
    this.problems = List.copyOf(problems);
  }

  public String source() {
    return source;
  }

  public List<SpecProblem> problems() {
    return problems;
  }

  private static String render(String source, List<SpecProblem> problems) {
    String header = "invalid run spec " + source + " (" + problems.size()
        + (problems.size() == 1 ? " problem" : " problems") + "):";
    return problems.stream()
        .map(p -> "  - " + p.describe())
        .collect(Collectors.joining("\n", header + "\n", ""));
  }
}
