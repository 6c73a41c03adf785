package dev.crl.experience.store;

import static io.qdrant.client.ValueFactory.list;
import static io.qdrant.client.ValueFactory.value;

import dev.crl.experience.EntryStats;
import dev.crl.experience.ExperienceEntry;
import dev.crl.experience.Provenance;
import io.qdrant.client.ConditionFactory;
import io.qdrant.client.PointIdFactory;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.QueryFactory;
import io.qdrant.client.VectorFactory;
import io.qdrant.client.VectorOutputHelper;
import io.qdrant.client.VectorsFactory;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsIdsList;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.QueryPoints;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.VectorOutput;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The store on a Qdrant server through its gRPC client: one collection per run, the entry's
 * vector under the name {@value #VECTOR}, every other entry field as payload, a keyword index on
 * {@code tags} for filtered search. Entry ids are mapped to deterministic UUIDs (Qdrant accepts
 * only integers and UUIDs as point ids); the original id is kept in the payload.
 *
 * <p>Statistics in the payload are those of the last write: retrieval counts change on every
 * query and live in the manager, which is the authority and snapshots them with the bank.
 */
public final class QdrantExperienceStore implements ExperienceStore {

  /** Name of the vector in each point. */
  public static final String VECTOR = "text";
  private static final long TIMEOUT_SECONDS = 30;

  private final QdrantClient client;
  private final String collection;
  private final int dimension;
  private final String where;

  private QdrantExperienceStore(QdrantClient client, String collection, int dimension, String where) {
    this.client = client;
    this.collection = collection;
    this.dimension = dimension;
    this.where = where;
  }

  /**
   * Connects to the Qdrant gRPC endpoint at {@code url} (for example {@code http://localhost:6334};
   * {@code https} turns TLS on) and opens or creates {@code collection}.
   *
   * @param apiKey API key, or null for a server without authentication
   * @throws IllegalArgumentException when the url or collection name is unusable, or the
   *     existing collection has another vector size
   * @throws QdrantStoreException when the server cannot be reached
   */
  public static QdrantExperienceStore connect(String url, String apiKey, String collection, int dimension) {
    if (!collection.matches("[A-Za-z0-9_-]{1,200}")) {
      throw new IllegalArgumentException("collection name must be 1-200 letters, digits, '_' or '-': " + collection);
    }
    URI uri = URI.create(url);
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("Qdrant url needs a host, e.g. http://localhost:6334: " + url);
    }
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() > 0 ? uri.getPort() : 6334;
    QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(uri.getHost(), port, tls);
    if (apiKey != null && !apiKey.isBlank()) {
      grpc.withApiKey(apiKey);
    }
    QdrantExperienceStore store =
        new QdrantExperienceStore(new QdrantClient(grpc.build()), collection, dimension, url + "/" + collection);
    try {
      store.ensureCollection();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  private void ensureCollection() {
    boolean exists = await(client.collectionExistsAsync(collection));
    if (exists) {
      long size = await(client.getCollectionInfoAsync(collection))
          .getConfig().getParams().getVectorsConfig().getParamsMap().getMapMap()
          .getOrDefault(VECTOR, VectorParams.getDefaultInstance()).getSize();
      if (size != dimension) {
        throw new IllegalArgumentException("Qdrant collection " + collection + " has vector '" + VECTOR + "' of size "
            + size + ", expected " + dimension);
      }
      return;
    }
    await(client.createCollectionAsync(collection,
        Map.of(VECTOR, VectorParams.newBuilder().setDistance(Distance.Dot).setSize(dimension).build())));
    await(client.createPayloadIndexAsync(collection, "tags", PayloadSchemaType.Keyword, null, true, null, null));
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public void upsert(List<ExperienceEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    List<PointStruct> points = new ArrayList<>(entries.size());
    for (ExperienceEntry e : entries) {
      StoreVectors.requireUnitVector(e.embedding(), dimension, e.id());
      points.add(PointStruct.newBuilder()
          .setId(pointId(e.id()))
          .setVectors(VectorsFactory.namedVectors(Map.of(VECTOR, VectorFactory.vector(e.embedding()))))
          .putAllPayload(payload(e))
          .build());
    }
    await(client.upsertAsync(
        UpsertPoints.newBuilder().setCollectionName(collection).addAllPoints(points).setWait(true).build()));
  }

  @Override
  public void delete(Collection<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    List<PointId> pointIds = ids.stream().map(QdrantExperienceStore::pointId).toList();
    await(client.deleteAsync(DeletePoints.newBuilder()
        .setCollectionName(collection)
        .setPoints(PointsSelector.newBuilder().setPoints(PointsIdsList.newBuilder().addAllIds(pointIds)))
        .setWait(true)
        .build()));
  }

  @Override
  public Optional<ExperienceEntry> get(String id) {
    List<RetrievedPoint> points = await(client.retrieveAsync(collection, pointId(id), true, true, null));
    return points.isEmpty() ? Optional.empty() : Optional.of(entry(points.get(0)));
  }

  @Override
  public List<ScoredId> search(float[] query, int limit, Optional<String> tag) {
    StoreVectors.requireQuery(query, dimension);
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    QueryPoints.Builder q = QueryPoints.newBuilder()
        .setCollectionName(collection)
        .setQuery(QueryFactory.nearest(query))
        .setUsing(VECTOR)
        .setLimit(limit)
        .setWithPayload(WithPayloadSelectorFactory.include(List.of("entry_id")));
    tag.ifPresent(t -> q.setFilter(Filter.newBuilder().addMust(ConditionFactory.matchKeyword("tags", t))));
    List<ScoredPoint> points = await(client.queryAsync(q.build()));
    List<ScoredId> hits = new ArrayList<>(points.size());
    for (ScoredPoint p : points) {
      hits.add(new ScoredId(p.getPayloadMap().get("entry_id").getStringValue(), p.getScore()));
    }
    return hits;
  }

  @Override
  public long count() {
    return await(client.countAsync(collection));
  }

  @Override
  public void clear() {
    await(client.deleteCollectionAsync(collection));
    ensureCollection();
  }

  /**
   * Asks the server to snapshot the collection with Qdrant's own snapshot API and returns the
   * snapshot's name (it stays on the server; the bank snapshot in the object store is the one a
   * run restores from).
   */
  public String createServerSnapshot() {
    return await(client.createSnapshotAsync(collection)).getName();
  }

  /** Deletes the whole collection (a finished run's clean-up). */
  public void dropCollection() {
    await(client.deleteCollectionAsync(collection));
  }

  @Override
  public void close() {
    client.close();
  }

  static PointId pointId(String entryId) {
    return PointIdFactory.id(UUID.nameUUIDFromBytes(entryId.getBytes(StandardCharsets.UTF_8)));
  }

  private static Map<String, Value> payload(ExperienceEntry e) {
    Map<String, Value> p = new HashMap<>();
    p.put("entry_id", value(e.id()));
    p.put("title", value(e.title()));
    p.put("content", value(e.content()));
    p.put("tags", list(e.tags().stream().map(t -> value(t)).toList()));
    p.put("version", value(e.version()));
    EntryStats s = e.stats();
    p.put("times_retrieved", value(s.timesRetrieved()));
    p.put("times_trained", value(s.timesTrained()));
    p.put("last_retrieved_millis", value(s.lastRetrievedMillis()));
    p.put("last_trained_step", value(s.lastTrainedStep()));
    p.put("guided_successes", value(s.guidedSuccesses()));
    p.put("guided_failures", value(s.guidedFailures()));
    Provenance pr = e.provenance();
    p.put("source_episodes", list(pr.sourceEpisodes().stream().map(x -> value(x)).toList()));
    p.put("extractor_checkpoint", value(pr.extractorCheckpoint()));
    p.put("created_millis", value(pr.createdMillis()));
    p.put("updated_millis", value(pr.updatedMillis()));
    return p;
  }

  private static ExperienceEntry entry(RetrievedPoint point) {
    Map<String, Value> p = point.getPayloadMap();
    VectorOutput vo = point.getVectors().getVectors().getVectorsMap().get(VECTOR);
    List<Float> data = VectorOutputHelper.getDenseVector(vo).getDataList();
    float[] v = new float[data.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = data.get(i);
    }
    EntryStats stats = new EntryStats(
        p.get("times_retrieved").getIntegerValue(), p.get("times_trained").getIntegerValue(),
        p.get("last_retrieved_millis").getIntegerValue(), p.get("last_trained_step").getIntegerValue(),
        p.get("guided_successes").getIntegerValue(), p.get("guided_failures").getIntegerValue());
    Provenance provenance = new Provenance(
        strings(p.get("source_episodes")), p.get("extractor_checkpoint").getStringValue(),
        p.get("created_millis").getIntegerValue(), p.get("updated_millis").getIntegerValue());
    return new ExperienceEntry(p.get("entry_id").getStringValue(), p.get("title").getStringValue(),
        p.get("content").getStringValue(), strings(p.get("tags")), v, stats, provenance,
        p.get("version").getIntegerValue());
  }

  private static List<String> strings(Value v) {
    return v.getListValue().getValuesList().stream().map(Value::getStringValue).toList();
  }

  private <T> T await(Future<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QdrantStoreException("interrupted while talking to Qdrant at " + where, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new QdrantStoreException("Qdrant request failed at " + where + ": " + e.getMessage(), e);
    }
  }
}
