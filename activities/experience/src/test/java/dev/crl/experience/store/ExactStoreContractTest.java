package dev.crl.experience.store;

/** The store contract against the exact in-process store. */
class ExactStoreContractTest extends ExperienceStoreContract {

  @Override
  ExperienceStore newStore(int dimension) {
    return new ExactExperienceStore(dimension);
  }
}
