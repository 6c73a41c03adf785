package dev.crl.environments;

/** Chooses the next action from an observation; scripted experts and random baselines implement it. */
@FunctionalInterface
public interface TextPolicy {

  /** Returns the next action as text; called once per step with the latest observation. */
  String act(Observation observation);

  /** Called once after each reset so that stateful policies can forget the previous episode. */
  default void reset() {}
}
