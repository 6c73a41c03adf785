package dev.crl.api.payload;

/**
 * One task instance of an iteration: an environment and the seed that generates its instance.
 *
 * @param env environment id, e.g. {@code minihack-room}
 * @param seed instance seed
 */
public record TaskInstance(String env, long seed) {}
