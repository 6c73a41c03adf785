package dev.crl.activities.rollout;

/**
 * One episode to play.
 *
 * @param episodeId unique id within the run
 * @param env environment id
 * @param seed instance seed
 * @param group GRPO group (task instance index)
 * @param guided whether the episode belongs to the experience-guided subgroup; it may still have
 *     no experience to see while the bank is empty
 * @param experienceId retrieved entry, or null
 * @param experienceText the entry's text, or null
 */
public record EpisodeSpec(
    String episodeId, String env, long seed, int group, boolean guided, String experienceId, String experienceText) {}
