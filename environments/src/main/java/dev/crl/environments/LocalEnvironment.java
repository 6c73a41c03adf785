package dev.crl.environments;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Base class of the in-process environments: step counting, truncation, and the uniform handling of
 * invalid actions (state unchanged, the reason shown in the observation and in {@code info}).
 *
 * <p>Subclasses also expose {@link #copy()} and {@link #stateKey()} so that search-based solvers can
 * explore the game without touching the instance an agent plays.
 */
public abstract class LocalEnvironment implements TextEnvironment {

  /** What one valid action did. */
  protected record Transition(String message, double reward, boolean success, boolean failed) {

    public static Transition of(String message) {
      return new Transition(message, 0.0, false, false);
    }

    public static Transition success(String message, double reward) {
      return new Transition(message, reward, true, false);
    }

    public static Transition failure(String message, double reward) {
      return new Transition(message, reward, false, true);
    }
  }

  private final String id;
  private final int maxSteps;
  private int steps;
  private boolean started;
  private boolean terminated;
  private boolean truncated;
  private boolean success;
  private boolean headless;

  private static final Observation HEADLESS = new Observation("", "", java.util.List.of());

  protected LocalEnvironment(String id, int maxSteps) {
    if (maxSteps < 1) {
      throw new EnvironmentException(id + ": maxSteps must be at least 1, got " + maxSteps);
    }
    this.id = id;
    this.maxSteps = maxSteps;
  }

  /** Copy constructor for {@link #copy()}: duplicates the episode bookkeeping. */
  protected LocalEnvironment(LocalEnvironment other) {
    this.id = other.id;
    this.maxSteps = other.maxSteps;
    this.steps = other.steps;
    this.started = other.started;
    this.terminated = other.terminated;
    this.truncated = other.truncated;
    this.success = other.success;
    this.headless = other.headless;
  }

  @Override
  public final String id() {
    return id;
  }

  @Override
  public final int maxSteps() {
    return maxSteps;
  }

  /** Steps taken in the current episode, invalid ones included. */
  public final int steps() {
    return steps;
  }

  public final boolean isDone() {
    return terminated || truncated;
  }

  @Override
  public final Observation reset(long seed) {
    steps = 0;
    terminated = false;
    truncated = false;
    success = false;
    started = true;
    return start(seed);
  }

  @Override
  public final StepResult step(String rawAction) {
    if (!started) {
      throw new EnvironmentException(id + ": step() called before reset()");
    }
    if (isDone()) {
      String why = "The episode is over; reset to start a new one.";
      return new StepResult(
          observe(why), 0.0, terminated, truncated, true, success, Map.of("invalid_action", why));
    }
    steps++;
    ActionParser.Resolution r;
    try {
      r = resolveAction(rawAction);
    } catch (RuntimeException e) {
      // A parser bug must not crash a rollout; it is reported like any other invalid action.
      r = new ActionParser.Resolution(null, "The action could not be read.");
    }
    Map<String, String> info = new HashMap<>();
    info.put("step", Integer.toString(steps));
    double reward;
    String message;
    if (!r.valid()) {
      message = r.error();
      info.put("invalid_action", r.error());
      reward = 0.0;
    } else {
      Transition t = apply(r.action());
      info.put("action", r.action());
      message = t.message();
      reward = t.reward();
      if (t.success()) {
        success = true;
        terminated = true;
      } else if (t.failed()) {
        terminated = true;
      }
    }
    if (!terminated && steps >= maxSteps) {
      truncated = true;
      reward += truncationReward();
      message = (message.isEmpty() ? "" : message + " ") + "You ran out of steps.";
    }
    info.put("message", message);
    return new StepResult(headless ? HEADLESS : observe(message), reward, terminated, truncated, !r.valid(), success, info);
  }

  /**
   * A copy that skips rendering observations (its steps return empty observations); search-based
   * solvers use it because rendering dominates the cost of a step.
   */
  public final LocalEnvironment headlessCopy() {
    LocalEnvironment c = copy();
    c.headless = true;
    return c;
  }

  /** True for copies made by {@link #headlessCopy()}. */
  protected final boolean headless() {
    return headless;
  }

  /** The current observation with an empty message; useful for solvers and the CLI. */
  public final Observation currentObservation() {
    return observe("");
  }

  /** Generates the instance for {@code seed} and returns its first observation. */
  protected abstract Observation start(long seed);

  /** Maps raw text to a canonical action; the default uses the shared parser and {@link #aliases()}. */
  protected ActionParser.Resolution resolveAction(String raw) {
    return ActionParser.resolve(raw, availableActions(), aliases());
  }

  /** Alias spellings (lower case) mapped to canonical actions. */
  protected Map<String, String> aliases() {
    return Map.of();
  }

  /** The canonical actions accepted in the current state. */
  public abstract List<String> availableActions();

  /** Applies a canonical, available action. */
  protected abstract Transition apply(String action);

  /** Renders the current state; {@code message} is the feedback of the last step. */
  protected abstract Observation observe(String message);

  /** Added to the reward of the step that hits the step limit (ALFWorld's failure penalty). */
  protected double truncationReward() {
    return 0.0;
  }

  /** An independent deep copy including the episode bookkeeping. */
  public abstract LocalEnvironment copy();

  /**
   * A string that identifies the game state (not the step counter or observation-only memory); equal
   * keys mean equal futures for every action sequence.
   */
  public abstract String stateKey();
}
