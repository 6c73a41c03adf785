package dev.crl.api.payload;

/**
 * One shard of an iteration's rollouts.
 *
 * @param plan the iteration plan (the shard picks its slice of the tasks)
 * @param shard shard index
 * @param shards number of shards
 * @param actor actor checkpoint to act with
 * @param assignmentsKey retrieved experience for guided rollouts, or null for none
 * @param evaluation whether this is an evaluation (greedy, held-out seeds) rather than training
 */
public record RolloutRequest(
    IterationPlan plan,
    int shard,
    int shards,
    CheckpointRef actor,
    String assignmentsKey,
    boolean evaluation) {}
