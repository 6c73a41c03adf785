package dev.crl.activities;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crl.api.InvalidInputException;
import dev.crl.stores.ObjectNotFoundException;
import dev.crl.stores.ObjectStore;
import java.io.IOException;
import java.util.Optional;

/**
 * Small JSON objects in the object store (results, pointers, assignments, statistics). A missing
 * or unreadable object that an activity was told to use is invalid input, which the workflows
 * do not retry; the message names the key.
 */
public final class StoredJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoredJson() {}

  public static void put(ObjectStore store, String key, Object value) {
    try {
      store.put(key, JSON.writeValueAsBytes(value));
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise " + key + ": " + e.getMessage(), e);
    }
  }

  /** The object at {@code key}; missing or corrupt is an {@link InvalidInputException}. */
  public static <T> T get(ObjectStore store, String key, TypeReference<T> type) {
    return find(store, key, type).orElseThrow(() -> new InvalidInputException(key + " does not exist in " + store));
  }

  /** The object at {@code key}; missing or corrupt is an {@link InvalidInputException}. */
  public static <T> T get(ObjectStore store, String key, Class<T> type) {
    return get(store, key, new TypeReference<T>() {
      @Override
      public java.lang.reflect.Type getType() {
        return type;
      }
    });
  }

  /** The object at {@code key}, or empty when there is none; corrupt is an error. */
  public static <T> Optional<T> find(ObjectStore store, String key, TypeReference<T> type) {
    byte[] data;
    try {
      data = store.get(key);
    } catch (ObjectNotFoundException missing) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(data, type));
    } catch (IOException e) {
      throw new InvalidInputException(key + " is corrupt: " + e.getMessage(), e);
    }
  }
}
