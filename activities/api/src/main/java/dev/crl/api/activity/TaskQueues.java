package dev.crl.api.activity;

/**
 * Task queues follow hardware: rollouts on CPU workers, training on GPU-capable workers,
 * experience management on its own queue, workflows on a light queue. One worker image serves
 * any subset of these roles, chosen by configuration.
 */
public final class TaskQueues {
  /** Worker roles; each polls the queue of the same name. */
  public enum Role {
    WORKFLOW,
    ROLLOUT,
    EXPERIENCE,
    TRAINING;

    /** The role's name as used in configuration and queue names. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private TaskQueues() {}

  /** The queue a role polls, e.g. {@code crl-rollout}. */
  public static String queue(String prefix, Role role) {
    return prefix + "-" + role.key();
  }
}
