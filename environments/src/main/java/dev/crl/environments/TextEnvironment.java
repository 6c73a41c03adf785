package dev.crl.environments;

/**
 * A gym-style environment that speaks text: observations are text and actions are text.
 *
 * <p>Instances are single-threaded and own all their state, so thousands can run side by side. An
 * action that cannot be parsed or is not available never throws: the game state stays unchanged and
 * the returned {@link StepResult} is marked {@code invalidAction}.
 */
public interface TextEnvironment extends AutoCloseable {

  /** Starts a new episode; the same seed always produces the same instance. */
  Observation reset(long seed);

  /** Applies one action written as text (bare, or wrapped in {@code <answer>...</answer>}). */
  StepResult step(String action);

  /** The registry id of this environment, e.g. {@code minihack-room}. */
  String id();

  /** The number of steps after which an episode is truncated. */
  int maxSteps();

  /** Releases resources; local environments hold none, remote ones close their server session. */
  @Override
  default void close() {}
}
