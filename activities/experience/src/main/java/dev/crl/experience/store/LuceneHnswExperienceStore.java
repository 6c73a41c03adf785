package dev.crl.experience.store;

import dev.crl.experience.ExperienceEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * An in-process store on an in-memory Lucene index with an HNSW graph per segment: approximate
 * search whose cost grows slowly with the bank, for banks much larger than the paper's 20,000.
 * At the paper's size the exact {@link EmbeddedExperienceStore} is faster on two cores (HNSW on
 * hashed or otherwise weakly clustered vectors visits a large part of the graph, and every write
 * adds a small segment to search until Lucene merges it), so that one is the default.
 *
 * <p>Every write refreshes the searcher before it returns, so a search that starts after a write
 * sees it. The index itself is not part of a snapshot: snapshots carry the entries, and a restore
 * rebuilds the graph from their vectors.
 */
public final class LuceneHnswExperienceStore implements ExperienceStore {

  private static final String ID = "id";
  private static final String TAG = "tag";
  private static final String VECTOR = "vector";
  /** Tolerance on vector length; embedders normalise in float, so the norm is 1 within rounding. */
  private static final double UNIT_TOLERANCE = 1e-3;

  private final int dimension;
  private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ConcurrentHashMap<String, ExperienceEntry> entries = new ConcurrentHashMap<>();

  /** An empty store for vectors of {@code dimension} coordinates. */
  public LuceneHnswExperienceStore(int dimension) {
    if (dimension < 1 || dimension > 4096) {
      throw new IllegalArgumentException("dimension must be in 1..4096, got " + dimension);
    }
    this.dimension = dimension;
    try {
      IndexWriterConfig config = new IndexWriterConfig();
      // Everything is in memory anyway; a large buffer means fewer, larger segments to search.
      config.setRAMBufferSizeMB(256);
      this.writer = new IndexWriter(directory, config);
      this.searchers = new SearcherManager(writer, null);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the in-memory vector index", e);
    }
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public synchronized void upsert(List<ExperienceEntry> batch) {
    for (ExperienceEntry entry : batch) {
      StoreVectors.requireUnitVector(entry.embedding(), dimension, UNIT_TOLERANCE, entry.id());
    }
    try {
      for (ExperienceEntry entry : batch) {
        Document doc = new Document();
        doc.add(new StringField(ID, entry.id(), Field.Store.YES));
        for (String tag : entry.tags()) {
          doc.add(new StringField(TAG, tag, Field.Store.NO));
        }
        doc.add(new KnnFloatVectorField(VECTOR, entry.embedding(), VectorSimilarityFunction.DOT_PRODUCT));
        writer.updateDocument(new Term(ID, entry.id()), doc);
      }
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory index write failed", e);
    }
    for (ExperienceEntry entry : batch) {
      entries.put(entry.id(), entry);
    }
  }

  @Override
  public synchronized void delete(Collection<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    try {
      List<Term> terms = new ArrayList<>(ids.size());
      for (String id : ids) {
        terms.add(new Term(ID, id));
      }
      writer.deleteDocuments(terms.toArray(new Term[0]));
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory index delete failed", e);
    }
    ids.forEach(entries::remove);
  }

  @Override
  public Optional<ExperienceEntry> get(String id) {
    return Optional.ofNullable(entries.get(id));
  }

  @Override
  public List<ScoredId> search(float[] query, int limit, Optional<String> tag) {
    if (query.length != dimension) {
      throw new IllegalArgumentException(
          "query vector has " + query.length + " coordinates, the store holds " + dimension);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    Query filter = tag.map(t -> (Query) new TermQuery(new Term(TAG, t))).orElse(null);
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, query, limit, filter), limit);
        List<ScoredId> hits = new ArrayList<>(top.scoreDocs.length);
        for (ScoreDoc doc : top.scoreDocs) {
          String id = searcher.storedFields().document(doc.doc).get(ID);
          // Lucene maps a dot product d to (1 + d) / 2; report the similarity itself.
          hits.add(new ScoredId(id, 2f * doc.score - 1f));
        }
        return hits;
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory index search failed", e);
    }
  }

  @Override
  public long count() {
    return entries.size();
  }

  @Override
  public synchronized void clear() {
    try {
      writer.deleteAll();
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException("in-memory index clear failed", e);
    }
    entries.clear();
  }

  @Override
  public synchronized void close() {
    try {
      searchers.close();
      writer.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the in-memory index failed", e);
    }
  }
}
