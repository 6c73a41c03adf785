package dev.crl.api.payload;

/**
 * A bank snapshot in the object store.
 *
 * @param key object-store key of the snapshot
 * @param entries entries in the snapshot
 * @param version bank version at snapshot time
 */
public record BankSnapshotRef(String key, int entries, long version) {}
