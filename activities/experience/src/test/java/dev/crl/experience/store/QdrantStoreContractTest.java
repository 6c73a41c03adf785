package dev.crl.experience.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.UUID;

/**
 * The store contract against a real Qdrant server. Runs when QDRANT_URL is set (for example
 * {@code QDRANT_URL=http://localhost:6334} next to {@code docker run -p 6333:6333 -p 6334:6334
 * qdrant/qdrant}); otherwise every test is reported as skipped.
 */
class QdrantStoreContractTest extends ExperienceStoreContract {

  @Override
  ExperienceStore newStore(int dimension) {
    // Checked per test so that every contract test is reported as skipped, not silently absent.
    String url = System.getenv("QDRANT_URL");
    assumeTrue(url != null && !url.isBlank(),
        "QDRANT_URL is not set: Qdrant contract tests skipped (see docs/experience.md)");
    String collection = "crl-contract-" + UUID.randomUUID().toString().substring(0, 8);
    return QdrantExperienceStore.connect(url, System.getenv("QDRANT_API_KEY"), collection, dimension);
  }

  @Override
  void dispose(ExperienceStore store) {
    ((QdrantExperienceStore) store).dropCollection();
  }
}
