package dev.crl.activities.experience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crl.api.spec.BackendsSpec;
import dev.crl.experience.store.ExactExperienceStore;
import dev.crl.experience.store.ExperienceStore;
import dev.crl.experience.store.HnswExperienceStore;
import dev.crl.experience.store.QdrantStoreException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The run's bank lives in the vector store its backends name, never silently in another. */
class RunExperienceStoreTest {

  @Test
  void theEmbeddedBackendGivesTheInProcessGraphStore() {
    try (ExperienceStore store = RunExperience.openStore(new BackendsSpec.VectorStoreBackend(null, null, null), "run-1", 16)) {
      assertInstanceOf(HnswExperienceStore.class, store);
      assertEquals(16, store.dimension());
    }
  }

  @Test
  void theExactBackendGivesTheExactInProcessStore() {
    try (ExperienceStore store = RunExperience.openStore(new BackendsSpec.VectorStoreBackend("exact", null, null), "run-1", 16)) {
      assertInstanceOf(ExactExperienceStore.class, store);
      assertEquals(16, store.dimension());
    }
  }

  @Test
  void aQdrantBackendIsUsedOrFailsNamingTheServer() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort;
    QdrantStoreException e = assertThrows(QdrantStoreException.class,
        () -> RunExperience.openStore(new BackendsSpec.VectorStoreBackend("qdrant", url, null), "run-1", 16));
    assertTrue(e.getMessage().contains(url), e.getMessage());
  }

  @Test
  void eachRunGetsACollectionQdrantAccepts() {
    assertEquals("crl-room-tiny-1a2b", RunExperience.qdrantCollection("room-tiny-1a2b"));
    assertEquals("crl-a-b-c_d", RunExperience.qdrantCollection("a/b.c_d"));
  }
}
