package dev.crl.experience.store;

/** The store contract against the in-memory HNSW graph store. */
class HnswStoreContractTest extends ExperienceStoreContract {

  @Override
  ExperienceStore newStore(int dimension) {
    return new HnswExperienceStore(dimension);
  }
}
