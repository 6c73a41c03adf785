package dev.crl.environments;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * The bodies of {@code crl env list|run|play}; the CLI module wires them into picocli. Each method
 * writes to the given stream and returns a process exit code (0 success, 2 bad input).
 */
public final class EnvCli {

  private static final ObjectMapper JSON = new ObjectMapper();

  private EnvCli() {}

  /** Prints one line per built-in environment: id, default step limit, summary. */
  public static int list(PrintStream out) {
    for (String id : EnvironmentRegistry.ids()) {
      out.printf("%-18s max %3d steps  %s%n", id, EnvironmentRegistry.defaultMaxSteps(id),
          EnvironmentRegistry.summary(id));
    }
    out.println("remote:<url>       an AgentGym-protocol HTTP server (see docs/environments.md)");
    out.println("mixtures: " + String.join(", ", TaskMixtures.names()));
    return 0;
  }

  /**
   * Plays {@code actions} from the reset of {@code seed}. With {@code json}, prints one JSON object
   * per line: the reset observation, then per step the action, observation, reward, terminated,
   * truncated and invalid flags. Without it, prints the rendered observations.
   */
  public static int runScripted(String id, long seed, List<String> actions, boolean json,
      PrintStream out) {
    if (!EnvironmentRegistry.isKnown(id)) {
      out.println("error: unknown environment '" + id + "'; try `crl env list`");
      return 2;
    }
    try (TextEnvironment env = EnvironmentRegistry.create(id)) {
      Observation obs = env.reset(seed);
      if (json) {
        ObjectNode n = JSON.createObjectNode();
        n.put("event", "reset");
        n.put("env", id);
        n.put("seed", seed);
        putObservation(n, obs);
        out.println(n);
      } else {
        out.print(obs.render());
      }
      int step = 0;
      for (String action : actions) {
        StepResult r = env.step(action);
        step++;
        if (json) {
          ObjectNode n = JSON.createObjectNode();
          n.put("event", "step");
          n.put("step", step);
          n.put("action", action);
          putObservation(n, r.observation());
          n.put("reward", r.reward());
          n.put("terminated", r.terminated());
          n.put("truncated", r.truncated());
          n.put("invalid", r.invalidAction());
          n.put("success", r.success());
          out.println(n);
        } else {
          out.println(">>> " + action);
          out.print(r.observation().render());
          out.printf("reward=%s terminated=%s truncated=%s invalid=%s%n", r.reward(),
              r.terminated(), r.truncated(), r.invalidAction());
        }
        if (r.done()) {
          break;
        }
      }
      return 0;
    } catch (EnvironmentException e) {
      out.println("error: " + e.getMessage());
      return 2;
    }
  }

  private static void putObservation(ObjectNode n, Observation obs) {
    n.put("goal", obs.goal());
    n.put("observation", obs.text());
    n.set("available_actions", JSON.valueToTree(obs.availableActions()));
  }

  /** Interactive play: reads one action per line until the episode ends or input closes. */
  public static int play(String id, long seed, BufferedReader in, PrintStream out) {
    if (!EnvironmentRegistry.isKnown(id)) {
      out.println("error: unknown environment '" + id + "'; try `crl env list`");
      return 2;
    }
    try (TextEnvironment env = EnvironmentRegistry.create(id)) {
      out.print(env.reset(seed).render());
      double total = 0;
      while (true) {
        out.print("> ");
        out.flush();
        String line = in.readLine();
        if (line == null || line.equals(":quit")) {
          out.println();
          return 0;
        }
        StepResult r = env.step(line);
        total += r.reward();
        out.print(r.observation().render());
        if (r.invalidAction()) {
          out.println("(invalid: " + r.info().get("invalid_action") + ")");
        }
        if (r.done()) {
          out.printf("Episode over: %s, total reward %.2f%n",
              r.success() ? "success" : r.truncated() ? "out of steps" : "failed", total);
          return 0;
        }
      }
    } catch (IOException e) {
      out.println("error: cannot read input: " + e.getMessage());
      return 2;
    } catch (EnvironmentException e) {
      out.println("error: " + e.getMessage());
      return 2;
    }
  }
}
