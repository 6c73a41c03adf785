package dev.crl.environments;

import java.util.List;
import java.util.Locale;

/**
 * Single-threaded steps per second per family under a random policy (resets included), with a
 * warm-up. Not a unit test: run it by hand (see docs/benchmarks.md for the command).
 */
public final class EnvBenchmark {

  private EnvBenchmark() {}

  public static void main(String[] args) {
    double warmup = args.length > 0 ? Double.parseDouble(args[0]) : 2.0;
    double measure = args.length > 1 ? Double.parseDouble(args[1]) : 5.0;
    List<String> ids = List.of("minihack-room", "minihack-maze", "minihack-keyroom",
        "minihack-river", "sokoban", "webshop", "alfworld");
    System.out.printf("%-18s %12s%n", "env", "steps/s");
    for (String id : ids) {
      run(id, warmup);
      double rate = run(id, measure);
      System.out.printf(Locale.ROOT, "%-18s %12.0f%n", id, rate);
    }
  }

  private static double run(String id, double seconds) {
    TextEnvironment env = EnvironmentRegistry.create(id);
    TextPolicy policy = ExpertPolicies.random(1);
    long seed = 0;
    Observation obs = env.reset(seed);
    long steps = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long start = System.nanoTime();
    while (System.nanoTime() < end) {
      for (int i = 0; i < 100; i++) {
        StepResult r = env.step(policy.act(obs));
        obs = r.observation();
        steps++;
        if (r.done()) {
          obs = env.reset(++seed);
        }
      }
    }
    return steps / ((System.nanoTime() - start) / 1e9);
  }
}
