package dev.crl.experience.store;

/** The store contract against the in-process Lucene store. */
class EmbeddedStoreContractTest extends ExperienceStoreContract {

  @Override
  ExperienceStore newStore(int dimension) {
    return new EmbeddedExperienceStore(dimension);
  }
}
