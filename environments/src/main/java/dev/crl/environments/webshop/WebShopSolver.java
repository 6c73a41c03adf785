package dev.crl.environments.webshop;

import dev.crl.environments.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A search-based solver with access to the hidden goal: it tries a few queries, pages through the
 * results looking for the goal's item, selects the goal's options and buys. The returned actions are
 * a certificate: replaying them on the environment must earn reward 1.
 */
public final class WebShopSolver {

  private WebShopSolver() {}

  /** Solves the episode {@code env} is in (after reset); {@code env} itself is not modified. */
  public static Optional<List<String>> solve(WebShopEnvironment env) {
    ShoppingGoal goal = env.goal();
    Product target = Catalogue.get().byAsin(goal.asin());
    List<String> queries = List.of(
        goal.instruction().replaceAll(",? and price lower than.*$", ""),
        target.title(),
        goal.type() + " " + String.join(" ", goal.attributes()));
    for (String query : queries) {
      WebShopEnvironment sim = env.copy();
      List<String> actions = new ArrayList<>();
      String search = "search[" + query + "]";
      actions.add(search);
      sim.step(search);
      String click = "click[" + goal.asin().toLowerCase(Locale.ROOT) + "]";
      while (!sim.availableActions().contains(click)
          && sim.availableActions().contains("click[next >]")
          && actions.size() < sim.maxSteps()) {
        actions.add("click[next >]");
        sim.step("click[next >]");
      }
      if (!sim.availableActions().contains(click)) {
        continue;
      }
      actions.add(click);
      sim.step(click);
      for (Map.Entry<String, String> e : goal.options().entrySet()) {
        String option = "click[" + e.getValue() + "]";
        actions.add(option);
        sim.step(option);
      }
      actions.add("click[buy now]");
      StepResult last = sim.step("click[buy now]");
      if (last.success()) {
        return Optional.of(actions);
      }
    }
    return Optional.empty();
  }
}
