package dev.crl.stores;

/** The requested key does not exist in the object store. Non-retryable. */
public final class ObjectNotFoundException extends BackendException {

  private final String key;

  public ObjectNotFoundException(String key, String location) {
    super("object not found: " + key + " (in " + location + ")", null);
    this.key = key;
  }

  /** The key that was asked for, relative to the store. */
  public String key() {
    return key;
  }

  @Override
  public boolean isRetryable() {
    return false;
  }
}
