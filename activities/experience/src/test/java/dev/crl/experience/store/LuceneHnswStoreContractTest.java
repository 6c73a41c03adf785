package dev.crl.experience.store;

/** The store contract against the Lucene HNSW store. */
class LuceneHnswStoreContractTest extends ExperienceStoreContract {

  @Override
  ExperienceStore newStore(int dimension) {
    return new LuceneHnswExperienceStore(dimension);
  }
}
