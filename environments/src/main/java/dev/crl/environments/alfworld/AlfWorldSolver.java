package dev.crl.environments.alfworld;

import dev.crl.environments.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A planner with access to the hidden scene: it fetches the nearest task objects, processes them,
 * and delivers them. The plan is executed on a copy step by step (so every command is checked
 * against the admissible list) and returned as a certificate that tests replay.
 */
public final class AlfWorldSolver {

  private AlfWorldSolver() {}

  /** Solves the episode {@code env} is in (after reset); {@code env} itself is not modified. */
  public static Optional<List<String>> solve(AlfWorldEnvironment env) {
    AlfWorldEnvironment sim = env.copy();
    Scene scene = sim.scene();
    List<String> plan = new ArrayList<>();
    int needed = scene.task() == TaskType.PICK_TWO_OBJ_AND_PLACE ? 2 : 1;
    List<String[]> objects = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : scene.contents().entrySet()) {
      for (String o : e.getValue()) {
        if (Scene.typeOf(o).equals(scene.objectType())) {
          objects.add(new String[] {o, e.getKey()});
        }
      }
    }
    String target = null;
    for (String r : scene.receptacles()) {
      if (Scene.typeOf(r).equals(scene.targetType())) {
        target = r;
        break;
      }
    }
    for (int i = 0; i < needed && i < objects.size(); i++) {
      String obj = objects.get(i)[0];
      String at = objects.get(i)[1];
      goTo(sim, plan, at);
      if (!sim.availableActions().contains("take " + obj + " from " + at)) {
        return Optional.empty();
      }
      step(sim, plan, "take " + obj + " from " + at);
      String appliance = switch (scene.task()) {
        case PICK_CLEAN_THEN_PLACE -> "sinkbasin 1";
        case PICK_HEAT_THEN_PLACE -> "microwave 1";
        case PICK_COOL_THEN_PLACE -> "fridge 1";
        default -> null;
      };
      if (appliance != null) {
        goTo(sim, plan, appliance);
        String verb = switch (scene.task()) {
          case PICK_CLEAN_THEN_PLACE -> "clean ";
          case PICK_HEAT_THEN_PLACE -> "heat ";
          default -> "cool ";
        };
        step(sim, plan, verb + obj + " with " + appliance);
      }
      if (scene.task() == TaskType.LOOK_AT_OBJ_IN_LIGHT) {
        for (Map.Entry<String, List<String>> e : scene.contents().entrySet()) {
          if (e.getValue().contains(Scene.LAMP + " 1")) {
            goTo(sim, plan, e.getKey());
            if (step(sim, plan, "use " + Scene.LAMP + " 1")) {
              return Optional.of(plan);
            }
          }
        }
        return Optional.empty();
      }
      goTo(sim, plan, target);
      if (step(sim, plan, "put " + obj + " in/on " + target)) {
        return Optional.of(plan);
      }
    }
    return Optional.empty();
  }

  private static void goTo(AlfWorldEnvironment sim, List<String> plan, String where) {
    step(sim, plan, "go to " + where);
    if (sim.availableActions().contains("open " + where)) {
      step(sim, plan, "open " + where);
    }
  }

  /** Executes one command; returns true when it solved the task. */
  private static boolean step(AlfWorldEnvironment sim, List<String> plan, String action) {
    if (!sim.availableActions().contains(action)) {
      return false;
    }
    plan.add(action);
    StepResult r = sim.step(action);
    return r.success();
  }
}
