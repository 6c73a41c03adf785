package dev.crl.experience;

import dev.crl.experience.embedding.CachingEmbedder;
import dev.crl.experience.embedding.HashingEmbedder;
import dev.crl.experience.extractor.ExtractorModel;
import dev.crl.experience.store.HnswExperienceStore;
import java.util.List;

/** Builds managers on the store that runs use (the HNSW graph store) with the hashing embedder. */
public final class TestBanks {

  private TestBanks() {}

  public static ExperienceManager manager(ExtractorModel extractor, ExperienceManagerConfig config) {
    HashingEmbedder embedder = new HashingEmbedder(64, 7);
    return ExperienceManager.builder()
        .setStore(new HnswExperienceStore(embedder.dimension()))
        .setEmbedder(new CachingEmbedder(embedder, 10_000))
        .setExtractor(extractor)
        .optConfig(config)
        .build();
  }

  public static DistillationRequest request(String episode, String goal, boolean success, List<String> used) {
    return new DistillationRequest(episode, goal, "obs: start\nact: look\nobs: done", success, used, List.of("room"));
  }
}
