package dev.crl.stores;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour every {@link ObjectStore} must have. Subclasses provide a store backed by a real
 * directory or a real S3 server; each test works under its own random prefix.
 */
abstract class ObjectStoreContract {

  @TempDir Path scratch;

  /** A store; may be shared between tests, which use distinct key prefixes. */
  abstract ObjectStore store();

  String base;

  @BeforeEach
  void randomPrefix() {
    base = "t-" + UUID.randomUUID().toString().substring(0, 8) + "/";
  }

  @Test
  void putThenGetReturnsTheSameBytesIncludingEmptyAndBinary() {
    byte[] binary = new byte[300_000];
    new Random(7).nextBytes(binary);
    store().put(base + "binary.bin", binary);
    store().put(base + "empty", new byte[0]);
    assertArrayEquals(binary, store().get(base + "binary.bin"));
    assertArrayEquals(new byte[0], store().get(base + "empty"));
    assertTrue(store().exists(base + "binary.bin"));
  }

  @Test
  void putReplacesTheWholeObjectSoRetriesOverwriteInsteadOfDuplicating() {
    String key = base + ObjectKeys.run("r1").rolloutShard(12, 3);
    store().put(key, "first attempt, longer content".getBytes(StandardCharsets.UTF_8));
    store().put(key, "retry".getBytes(StandardCharsets.UTF_8));
    assertEquals("retry", new String(store().get(key), StandardCharsets.UTF_8));
    assertEquals(List.of(key), store().list(base));
  }

  @Test
  void missingKeysAreReportedAsNotFoundAndDeleteIsIdempotent() {
    ObjectNotFoundException missing =
        assertThrows(ObjectNotFoundException.class, () -> store().get(base + "nope"));
    assertFalse(missing.isRetryable());
    assertEquals(base + "nope", missing.key());
    assertFalse(store().exists(base + "nope"));
    store().delete(base + "nope");
    store().put(base + "gone", new byte[] {1});
    store().delete(base + "gone");
    assertFalse(store().exists(base + "gone"));
    assertThrows(ObjectNotFoundException.class, () -> store().get(base + "gone"));
    assertThrows(ObjectNotFoundException.class, () -> store().getToFile(base + "gone", scratch.resolve("x")));
  }

  @Test
  void listMatchesByStringPrefixAndSortsKeys() {
    ObjectKeys.RunKeys run = ObjectKeys.run("room-1");
    List<String> written = new ArrayList<>();
    for (int iteration : new int[] {10, 2, 1}) {
      for (int shard : new int[] {1, 0}) {
        String key = base + run.rolloutShard(iteration, shard);
        store().put(key, new byte[] {(byte) iteration, (byte) shard});
        written.add(key);
      }
    }
    store().put(base + "other/x", new byte[] {9});
    List<String> expected = new ArrayList<>(written);
    expected.sort(null);
    assertEquals(expected, store().list(base + run.prefix()));
    assertEquals(
        List.of(base + run.rolloutShard(10, 0), base + run.rolloutShard(10, 1)),
        store().list(base + "runs/room-1/iter-00001"));
    assertEquals(List.of(), store().list(base + "runs/room-2/"));
    assertEquals(7, store().list(base).size());
    assertTrue(store().list("").containsAll(expected));
  }

  @Test
  void filesRoundTripThroughPutFileAndGetToFile() throws Exception {
    Path source = scratch.resolve("checkpoint.safetensors");
    byte[] content = new byte[6 * 1024 * 1024 + 17];
    new Random(11).nextBytes(content);
    Files.write(source, content);
    String key = base + ObjectKeys.run("r").checkpointPrefix("actor", 3) + "model.safetensors";
    store().putFile(key, source);
    Path target = scratch.resolve("download/nested/model.safetensors");
    store().getToFile(key, target);
    assertArrayEquals(content, Files.readAllBytes(target));
    try (var files = Files.list(target.getParent())) {
      assertEquals(1, files.count(), "no temporary file may be left next to the download");
    }
  }

  @Test
  void invalidKeysAreRejectedWithAClearMessage() {
    for (String bad : List.of("", "/abs", "a//b", "a/../b", "trailing/", "has space", "a\\b", "ü")) {
      IllegalArgumentException error =
          assertThrows(IllegalArgumentException.class, () -> store().put(bad, new byte[1]), bad);
      assertTrue(error.getMessage().contains("object key"), error.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> store().get("../escape"));
  }

  @Test
  void aConcurrentReaderNeverSeesHalfAnObject() throws Exception {
    String key = base + "hot-object";
    int size = 1 << 20;
    byte[] as = new byte[size];
    byte[] bs = new byte[size];
    Arrays.fill(as, (byte) 'A');
    Arrays.fill(bs, (byte) 'B');
    store().put(key, as);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> writerError = new AtomicReference<>();
    AtomicInteger writes = new AtomicInteger();
    Thread writer =
        new Thread(
            () -> {
              try {
                while (!stop.get()) {
                  store().put(key, writes.incrementAndGet() % 2 == 0 ? as : bs);
                }
              } catch (Throwable t) {
                writerError.set(t);
              }
            });
    writer.start();
    int reads = 0;
    try {
      long until = System.currentTimeMillis() + 1500;
      while (System.currentTimeMillis() < until || writes.get() < 5) {
        byte[] seen = store().get(key);
        assertEquals(size, seen.length, "a reader saw a partial object");
        byte first = seen[0];
        for (byte b : seen) {
          if (b != first) {
            throw new AssertionError("a reader saw a mix of two writes");
          }
        }
        reads++;
      }
    } finally {
      stop.set(true);
      writer.join();
    }
    if (writerError.get() != null) {
      throw new AssertionError("writer failed", writerError.get());
    }
    assertTrue(reads > 2 && writes.get() > 2, "reads=" + reads + " writes=" + writes.get());
  }

  @Test
  void verifiedObjectsRoundTripAndRefuseCorruptedBytes() {
    VerifiedObjects verified = new VerifiedObjects(store());
    String key = base + ObjectKeys.run("r").evaluationReport(4, "with-experience");
    byte[] report = "{\"success\":0.75}".getBytes(StandardCharsets.UTF_8);
    ObjectManifest manifest = verified.putVerified(key, report);
    assertEquals(Sha256.hex(report), manifest.entries().get(0).sha256());
    assertArrayEquals(report, verified.getVerified(key));

    // Same length, one byte flipped: only the hash can notice.
    byte[] corrupted = report.clone();
    corrupted[5] ^= 1;
    store().put(key, corrupted);
    CorruptObjectException error = assertThrows(CorruptObjectException.class, () -> verified.getVerified(key));
    assertFalse(error.isRetryable());
    assertTrue(error.getMessage().contains("sha256") && error.getMessage().contains(key), error.getMessage());

    assertThrows(ObjectNotFoundException.class, () -> verified.getVerified(base + "never-written"));
  }

  @Test
  void groupManifestIsWrittenLastAndChecksEveryFile() throws Exception {
    VerifiedObjects verified = new VerifiedObjects(store());
    ObjectKeys.RunKeys run = ObjectKeys.run("r");
    String prefix = base + run.checkpointPrefix("actor", 7);
    Path weights = scratch.resolve("weights.bin");
    byte[] weightBytes = new byte[100_000];
    new Random(3).nextBytes(weightBytes);
    Files.write(weights, weightBytes);
    Path config = scratch.resolve("config.json");
    Files.writeString(config, "{\"layers\":2}");
    Map<String, Path> files = new LinkedHashMap<>();
    files.put(prefix + "weights.bin", weights);
    files.put(prefix + "config.json", config);
    String manifestKey = base + run.checkpointManifest("actor", 7);
    verified.putFilesWithManifest(manifestKey, files, Map.of("version", "7"));

    ObjectManifest manifest = verified.readManifest(manifestKey);
    assertEquals("7", manifest.metadata().get("version"));
    assertEquals(2, manifest.entries().size());
    assertEquals(weightBytes.length + Files.size(config), verified.verifyAll(manifest));
    Path restored = scratch.resolve("restored/weights.bin");
    verified.getToFile(manifest, prefix + "weights.bin", restored);
    assertArrayEquals(weightBytes, Files.readAllBytes(restored));

    store().put(prefix + "weights.bin", Arrays.copyOf(weightBytes, weightBytes.length - 1));
    assertThrows(CorruptObjectException.class, () -> verified.verifyAll(manifest));
    Path refused = scratch.resolve("restored/refused.bin");
    assertThrows(CorruptObjectException.class, () -> verified.getToFile(manifest, prefix + "weights.bin", refused));
    assertFalse(Files.exists(refused), "a corrupt download must not appear under the target name");
  }

  @Test
  void garbageManifestIsACorruptObject() {
    store().put(base + "bad.manifest.json", "not json".getBytes(StandardCharsets.UTF_8));
    assertThrows(
        CorruptObjectException.class, () -> new VerifiedObjects(store()).readManifest(base + "bad.manifest.json"));
  }

  @Test
  void uriNamesTheKey() {
    String uri = store().uri(base + "a/b.json");
    assertTrue(uri.endsWith(base + "a/b.json"), uri);
  }
}
