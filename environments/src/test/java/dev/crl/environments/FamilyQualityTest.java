package dev.crl.environments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.environments.alfworld.AlfWorldEnvironment;
import dev.crl.environments.alfworld.AlfWorldSolver;
import dev.crl.environments.webshop.WebShopEnvironment;
import dev.crl.environments.webshop.WebShopSolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * For every family and 1,000 consecutive seeds: a search-based solver finds a plan within the step
 * limit and replaying it on a fresh instance succeeds; the scripted expert (text only) succeeds on at
 * least 95%; the random policy's success rate is measured and printed for docs/environments.md.
 */
class FamilyQualityTest {

  static final int SEEDS = 1000;

  @ParameterizedTest
  @ValueSource(strings = {"minihack-room", "minihack-maze", "minihack-keyroom", "minihack-river",
      "sokoban", "webshop", "alfworld"})
  void everySeedSolvableAndExpertSucceeds(String id) {
    long t0 = System.nanoTime();
    List<Long> unsolved = new ArrayList<>();
    int totalPlan = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      LocalEnvironment env = (LocalEnvironment) EnvironmentRegistry.create(id);
      env.reset(seed);
      Optional<List<String>> plan = solve(env);
      if (plan.isEmpty() || plan.get().size() > env.maxSteps()) {
        unsolved.add(seed);
        continue;
      }
      totalPlan += plan.get().size();
      TextEnvironment replay = EnvironmentRegistry.create(id);
      replay.reset(seed);
      StepResult last = null;
      for (String a : plan.get()) {
        last = replay.step(a);
        assertTrue(!last.invalidAction(), id + " seed " + seed + ": plan action invalid: " + a);
      }
      if (last == null || !last.success()) {
        unsolved.add(seed);
      }
    }
    long t1 = System.nanoTime();
    int expertWins = 0;
    double expertSteps = 0;
    int randomWins = 0;
    for (long seed = 0; seed < SEEDS; seed++) {
      TextEnvironment env = EnvironmentRegistry.create(id);
      StepResult r = ExpertPolicies.runEpisode(env, ExpertPolicies.forEnvironment(id), seed);
      if (r != null && r.success()) {
        expertWins++;
        expertSteps += ((LocalEnvironment) env).steps();
      }
      StepResult rr = ExpertPolicies.runEpisode(EnvironmentRegistry.create(id),
          ExpertPolicies.random(seed), seed);
      if (rr != null && rr.success()) {
        randomWins++;
      }
    }
    long t2 = System.nanoTime();
    System.out.printf("QUALITY %s: solvable %d/%d (mean plan %.1f) | expert %d/%d (mean %.1f steps)"
            + " | random %d/%d | solver %.1fs, policies %.1fs%n", id, SEEDS - unsolved.size(), SEEDS,
        totalPlan / (double) Math.max(1, SEEDS - unsolved.size()), expertWins, SEEDS,
        expertSteps / Math.max(1, expertWins), randomWins, SEEDS, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    assertEquals(List.of(), unsolved, id + ": seeds without a verified solution");
    assertTrue(expertWins >= 0.95 * SEEDS, id + ": expert succeeded on only " + expertWins);
  }

  static Optional<List<String>> solve(LocalEnvironment env) {
    if (env instanceof WebShopEnvironment w) {
      return WebShopSolver.solve(w);
    }
    if (env instanceof AlfWorldEnvironment a) {
      return AlfWorldSolver.solve(a);
    }
    return SearchSolver.solve(env, env.maxSteps(), 2_000_000);
  }
}
