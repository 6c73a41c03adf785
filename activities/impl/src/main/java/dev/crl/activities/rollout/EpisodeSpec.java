package dev.crl.activities.rollout;

/**
 * One episode to play.
 *
 * @param episodeId unique id within the run
 * @param env environment id
 * @param seed instance seed
 * @param group GRPO group (task instance index)
 * @param experienceId retrieved entry for guided episodes, else null
 * @param experienceText the entry's text, else null
 */
public record EpisodeSpec(
    String episodeId, String env, long seed, int group, String experienceId, String experienceText) {

  public boolean guided() {
    return experienceText != null;
  }
}
