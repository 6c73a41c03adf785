package dev.crl.api.payload;

/**
 * Experience assigned to the guided rollouts of an iteration, stored in the object store.
 *
 * @param assignmentsKey object-store key of the per-rollout assignments (entry id and text)
 * @param guidedRollouts rollouts that received an entry
 * @param bankSize entries in the bank at retrieval time
 * @param latencyP50Ms median retrieval latency per query
 * @param latencyP99Ms 99th percentile retrieval latency per query
 */
public record RetrievalResult(
    String assignmentsKey, int guidedRollouts, int bankSize, double latencyP50Ms, double latencyP99Ms) {}
