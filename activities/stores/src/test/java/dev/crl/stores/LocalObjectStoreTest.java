package dev.crl.stores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest extends ObjectStoreContract {

  @TempDir Path root;
  private LocalObjectStore store;

  @BeforeEach
  void open() {
    store = new LocalObjectStore(root.resolve("objects"));
  }

  @Override
  ObjectStore store() {
    return store;
  }

  @Test
  void leftoverTemporaryFilesOfACrashedWriterAreInvisible() throws Exception {
    store.put("runs/r/a.json", new byte[] {1});
    Path crashed = store.root().resolve("runs/r/" + ObjectKeys.TEMP_MARKER + "b.json-1234");
    Files.write(crashed, new byte[] {2, 3});
    assertEquals(List.of("runs/r/a.json"), store.list("runs/"));
    assertFalse(store.exists("runs/r/b.json"));
  }

  @Test
  void aKeyThatIsAlsoAPrefixIsRefusedAsBadInputNotRetried() {
    store.put("a/b", new byte[] {1});
    InvalidBackendRequestException error =
        assertThrows(InvalidBackendRequestException.class, () -> store.put("a", new byte[] {2}));
    assertFalse(error.isRetryable());
    assertThrows(ObjectNotFoundException.class, () -> store.get("a"));
  }

  @Test
  void uriIsAFileUri() {
    assertTrue(store.uri("x/y").startsWith("file:"));
  }

  @Test
  void factoryBuildsALocalStoreFromSettings() {
    try (ObjectStore created = ObjectStores.create("local", Map.of("root", root.resolve("f").toString()))) {
      created.put("k", new byte[] {5});
      assertTrue(Files.exists(root.resolve("f/k")));
    }
    assertThrows(BackendConfigurationException.class, () -> ObjectStores.create("local", Map.of()));
    assertThrows(BackendConfigurationException.class, () -> ObjectStores.create("gcs", Map.of()));
  }

  @Test
  void aRootThatIsAFileIsAConfigurationError() throws Exception {
    Path file = Files.writeString(root.resolve("plain-file"), "x");
    assertThrows(BackendConfigurationException.class, () -> new LocalObjectStore(file));
  }
}
