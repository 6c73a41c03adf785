package dev.crl.experience.store;

/**
 * One search hit: an entry id and its similarity to the query (dot product of unit vectors, so
 * cosine similarity in [-1, 1]).
 */
public record ScoredId(String id, float score) {}
