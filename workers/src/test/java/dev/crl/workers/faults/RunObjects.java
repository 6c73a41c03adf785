package dev.crl.workers.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crl.api.payload.EvalResult;
import dev.crl.api.payload.RunSummary;
import dev.crl.stores.ObjectKeys;
import dev.crl.stores.ObjectStore;
import dev.crl.stores.Sha256;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Checks that a finished run left every object it should in its object store, whole: each
 * actor checkpoint with every file its manifest lists (sha256 checked), every iteration's
 * rollout shards holding all the iteration's episodes, a bank snapshot after every iteration,
 * every evaluation report and the final report.
 */
final class RunObjects {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunObjects() {}

  /**
   * @param episodesPerIteration tasks per iteration times the group size
   * @param snapshotEveryIteration whether the spec snapshots the bank after every iteration
   *     ({@code checkpoint_every: 1})
   * @return how many objects were checked
   */
  static int assertComplete(ObjectStore store, RunSummary summary, int episodesPerIteration,
      boolean snapshotEveryIteration) throws Exception {
    ObjectKeys.RunKeys keys = ObjectKeys.run(summary.runId());
    int checked = 0;
    for (int version = 1; version <= summary.iterations(); version++) {
      checked += assertWholeCheckpoint(store, keys, "actor", version);
    }
    JsonNode latest = JSON.readTree(store.get(keys.latestCheckpointPointer("actor")));
    assertEquals(keys.checkpointManifest("actor", summary.iterations()), latest.path("key").asText(),
        "the actor's LATEST pointer names the last version");
    for (int iteration = 0; iteration < summary.iterations(); iteration++) {
      List<String> shards = store.list(keys.iterationPrefix(iteration) + "rollouts/");
      assertTrue(!shards.isEmpty(), "rollout shards of iteration " + iteration);
      int episodes = 0;
      for (int shard = 0; shard < shards.size(); shard++) {
        assertEquals(keys.rolloutShard(iteration, shard), shards.get(shard), "shards are numbered from 0 without gaps");
        episodes += gzipLines(store.get(shards.get(shard)));
        checked++;
      }
      assertEquals(episodesPerIteration, episodes, "episodes stored for iteration " + iteration);
    }
    if (snapshotEveryIteration) {
      for (int iteration = 1; iteration <= summary.iterations(); iteration++) {
        String snapshot = keys.prefix() + String.format("bank/iter-%06d/snapshot.crlbank", iteration);
        assertTrue(store.exists(snapshot), "bank snapshot after iteration " + iteration + ": " + snapshot);
        checked++;
      }
    }
    for (String last : List.of(summary.bank().key(), summary.extractor().key(), keys.prefix() + "report/report.json")) {
      assertTrue(store.exists(last), "the run's final bank snapshot, extractor checkpoint and report: " + last);
      checked++;
    }
    for (EvalResult evaluation : summary.evalHistory()) {
      assertTrue(store.exists(keys.evaluationReport(evaluation.iteration(), "summary")),
          "evaluation report of iteration " + evaluation.iteration());
      checked++;
    }
    return checked;
  }

  /** Checks one checkpoint: its manifest and every file the manifest lists, by sha256. */
  private static int assertWholeCheckpoint(ObjectStore store, ObjectKeys.RunKeys keys, String model, int version)
      throws Exception {
    String manifestKey = keys.checkpointManifest(model, version);
    assertTrue(store.exists(manifestKey), model + " checkpoint v" + version);
    JsonNode manifest = JSON.readTree(store.get(manifestKey));
    assertEquals(version, manifest.path("step").asLong(), manifestKey);
    int files = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = manifest.path("files").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> file = it.next();
      byte[] data = store.get(keys.checkpointPrefix(model, version) + file.getKey());
      assertEquals(file.getValue().asText(), Sha256.hex(data), model + " v" + version + " " + file.getKey());
      files++;
    }
    assertTrue(files > 0, manifestKey + " lists no files");
    return files + 1;
  }

  private static int gzipLines(byte[] data) throws Exception {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(new ByteArrayInputStream(data)), StandardCharsets.UTF_8))) {
      return (int) in.lines().filter(line -> !line.isBlank()).count();
    }
  }
}
