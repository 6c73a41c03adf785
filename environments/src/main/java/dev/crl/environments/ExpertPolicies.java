package dev.crl.environments;

import dev.crl.environments.alfworld.AlfWorldEnvironment;
import dev.crl.environments.alfworld.AlfWorldExpert;
import dev.crl.environments.grid.GridExpert;
import dev.crl.environments.sokoban.SokobanEnvironment;
import dev.crl.environments.sokoban.SokobanExpert;
import dev.crl.environments.webshop.WebShopEnvironment;
import dev.crl.environments.webshop.WebShopExpert;
import java.util.SplittableRandom;

/** Scripted policies per family, written against the text interface only. */
public final class ExpertPolicies {

  private ExpertPolicies() {}

  /** A fresh scripted expert for the environment id (each instance keeps per-episode memory). */
  public static TextPolicy forEnvironment(String id) {
    if (id == null) {
      throw new EnvironmentException("No expert policy for a null environment id");
    }
    if (id.startsWith("minihack-")) {
      return new GridExpert();
    }
    if (id.equals(SokobanEnvironment.ID)) {
      return new SokobanExpert();
    }
    if (id.equals(WebShopEnvironment.ID)) {
      return new WebShopExpert();
    }
    if (id.equals(AlfWorldEnvironment.ID) || id.equals(AlfWorldEnvironment.EVAL_ID)) {
      return new AlfWorldExpert();
    }
    throw new EnvironmentException("No expert policy for environment '" + id + "'");
  }

  /**
   * A uniformly random policy over the available actions. For WebShop's search action it searches
   * with a few words of the instruction, since a literal "&lt;query&gt;" would find nothing.
   */
  public static TextPolicy random(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    return obs -> {
      if (obs.availableActions().isEmpty()) {
        return "";
      }
      String a = obs.availableActions().get(rng.nextInt(obs.availableActions().size()));
      if (a.startsWith("search[")) {
        String[] words = obs.goal().split("\\s+");
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < 3 && words.length > 0; i++) {
          q.append(i == 0 ? "" : " ").append(words[rng.nextInt(words.length)]);
        }
        return "search[" + q + "]";
      }
      return a;
    };
  }

  /** Runs one episode of {@code policy} and returns the last step's result (null if none). */
  public static StepResult runEpisode(TextEnvironment env, TextPolicy policy, long seed) {
    policy.reset();
    Observation obs = env.reset(seed);
    StepResult last = null;
    for (int i = 0; i < env.maxSteps(); i++) {
      last = env.step(policy.act(obs));
      obs = last.observation();
      if (last.done()) {
        break;
      }
    }
    return last;
  }
}
