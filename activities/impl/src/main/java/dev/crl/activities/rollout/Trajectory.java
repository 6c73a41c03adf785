package dev.crl.activities.rollout;

import java.util.List;

/**
 * One finished episode.
 *
 * @param episodeId unique within the run: {@code i<iteration>-t<task>-k<member>}
 * @param env environment id
 * @param seed instance seed
 * @param group index of the task instance (the GRPO group) within the iteration
 * @param guided whether the episode saw a retrieved experience
 * @param experienceId the entry it saw, or null
 * @param experienceText the entry's text, or null
 * @param goal the task description
 * @param firstObservation the observation after reset
 * @param turns the actor's turns
 * @param success whether the task was solved
 * @param envReturn sum of the environment's rewards
 * @param reward the episode's training reward (its environment return)
 * @param invalidActions turns whose action the environment rejected
 */
public record Trajectory(
    String episodeId,
    String env,
    long seed,
    int group,
    boolean guided,
    String experienceId,
    String experienceText,
    String goal,
    String firstObservation,
    List<Turn> turns,
    boolean success,
    double envReturn,
    double reward,
    int invalidActions) {

  public Trajectory {
    turns = List.copyOf(turns);
  }

  /** GRPO subgroup of this episode: its group and whether it was guided. */
  public String subgroup() {
    return group + (guided ? "/guided" : "/free");
  }
}
