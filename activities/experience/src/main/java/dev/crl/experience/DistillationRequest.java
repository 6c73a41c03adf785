package dev.crl.experience;

import java.util.List;
import java.util.Objects;

/**
 * A finished episode submitted for distillation (the paper's R = (τ, g, outcome, m_used)).
 *
 * @param episodeId id of the episode, recorded in the provenance of what it writes
 * @param goal the task description
 * @param interaction the rendered trajectory the extractor reads
 * @param success whether the episode succeeded
 * @param usedEntryIds entries the actor saw in this episode (empty for experience-free episodes)
 * @param tags environment / task tags given to entries this episode adds
 */
public record DistillationRequest(
    String episodeId, String goal, String interaction, boolean success, List<String> usedEntryIds, List<String> tags) {

  public DistillationRequest {
    Objects.requireNonNull(episodeId, "episodeId");
    Objects.requireNonNull(goal, "goal");
    Objects.requireNonNull(interaction, "interaction");
    usedEntryIds = List.copyOf(usedEntryIds);
    tags = List.copyOf(tags);
    if (episodeId.isBlank()) {
      throw new IllegalArgumentException("episodeId is blank");
    }
  }
}
