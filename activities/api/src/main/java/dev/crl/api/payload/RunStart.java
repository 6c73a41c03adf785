package dev.crl.api.payload;

/**
 * The initial checkpoints of a run, after any warm start.
 *
 * @param actor initial actor checkpoint
 * @param extractor initial extractor checkpoint
 */
public record RunStart(CheckpointRef actor, CheckpointRef extractor) {}
