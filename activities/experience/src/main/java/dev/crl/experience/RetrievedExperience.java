package dev.crl.experience;

/**
 * An entry returned by retrieval.
 *
 * @param entry the entry, with its statistics after this retrieval was counted
 * @param similarity cosine similarity between query and entry
 * @param score the diversified ranking score of Eq. 6 that ordered the candidates
 */
public record RetrievedExperience(ExperienceEntry entry, float similarity, double score) {}
