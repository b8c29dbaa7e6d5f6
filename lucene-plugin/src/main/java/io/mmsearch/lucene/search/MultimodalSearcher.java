package io.mmsearch.lucene.search;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.encoders.error.UnencodableInputException;
import io.mmsearch.lucene.encode.QueryEncoder;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.recall.IndexCalibration;
import io.mmsearch.lucene.recall.ReaderCalibrations;
import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.lucene.rerank.ExactScorers;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.ModelMismatchException;
import io.mmsearch.semantics.Fusion;
import io.mmsearch.semantics.recall.LayoutCalibrations;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;

/**
 * Runs {@link SearchRequest}s against an mmsearch index, made of Lucene's own parts. This class
 * owns the searchers, the model guard and the per-reader state; {@link SearchExecution} is the plan
 * of one request.
 *
 * <h2>How a request runs</h2>
 *
 * <ol>
 *   <li>{@link QueryVectorMixer} turns the vector parts into one unit vector.
 *   <li>A {@link KnnFloatVectorQuery} with the request's filter (applied inside the HNSW walk) is
 *       rewritten once: its {@link SearchRequest#candidateCount()} candidates are a fixed query,
 *       reused below so the graph is searched once.
 *   <li>With re-rank on, the candidates are wrapped in the exact scorer's re-rank query ({@link
 *       ExactScorer#rerankQuery}: Lucene's {@code RescoreTopNQuery} over full-precision vectors, or
 *       FAISS's block scorer) and its best {@link SearchRequest#window()} form the vector list.
 *   <li>The keyword query (BM25), filtered, gives the keyword list (top window).
 *   <li>Two lists are fused by the shared arithmetic of {@link Fusion} (module {@code
 *       query-semantics}, which the Solr plugin runs too); a single list ranks by its own scores.
 *       Ties: doc id ascending.
 *   <li>The matched set, for {@link SearchResults#totalMatches()}, is the filtered keyword matches
 *       (keyword part), the kNN candidates after the filters (vector part), or their union (both;
 *       see {@link MatchedSet}). Class counts come from one {@code DrillSideways} search with the
 *       chosen classes as drill-down (see {@link SearchResults#classCounts()}).
 * </ol>
 *
 * <h2>Searchers, threads and the model guard</h2>
 *
 * {@link #search(IndexSearcher, SearchRequest)} runs on any point-in-time searcher a host provides
 * (its executor, if any, searches segments concurrently); {@link #search(SearchRequest)} acquires
 * one from the searcher's {@link ReferenceManager}. Every reader is checked once for the model
 * identity recorded in its commit before anything is searched on it; managers built here use {@link
 * ModelCheckingSearcherFactory}, so a refresh onto an index of another model fails and leaves the
 * current searcher live. Thread-safe: any number of threads may search while another refreshes. The
 * searcher does not own the query encoder, a given exact scorer, or a given manager; {@link
 * #close()} closes only what it opened itself.
 */
public final class MultimodalSearcher implements Closeable {
  private final ReferenceManager<IndexSearcher> manager;
  private final boolean ownsManager;
  private final ModelIdentity identity;
  private final Executor executor;
  private final ExactScorer exactScorer;
  private final boolean ownsExactScorer;
  private final Analyzer analyzer = ImageSchema.newAnalyzer();
  private final SearchExecution execution;
  private final ReaderCalibrations calibrations;
  private final Map<IndexReader.CacheKey, ReaderState> readers = new ConcurrentHashMap<>();

  /** What is computed once per reader: the model check (on creation) and the facet ordinals. */
  private record ReaderState(SortedSetDocValuesReaderState facets) {}

  private MultimodalSearcher(Builder b, ReferenceManager<IndexSearcher> manager, boolean owns)
      throws IOException {
    this.manager = manager;
    this.ownsManager = owns;
    this.identity = b.identity;
    this.executor = b.executor;
    this.ownsExactScorer = b.exactScorer == null;
    this.exactScorer = ownsExactScorer ? ExactScorers.defaultScorer() : b.exactScorer;
    IndexCalibration how = b.recallCalibration;
    if (how == null) {
      how = IndexCalibration.defaults();
      QueryEncoder encoder = b.encoder;
      if (encoder != null) {
        how = how.withCaptionEncoder(texts -> encodableCaptions(encoder, texts));
      }
    }
    this.calibrations = new ReaderCalibrations(how, b.measureRecallInBackground);
    this.execution =
        new SearchExecution(
            new QueryVectorMixer(b.encoder, identity.dimension()),
            new VectorSearch(exactScorer, calibrations),
            analyzer);
  }

  /** The vectors of the captions the encoder can encode: one without words is left out. */
  private static List<float[]> encodableCaptions(QueryEncoder encoder, List<String> captions) {
    List<float[]> vectors = new ArrayList<>(captions.size());
    for (String caption : captions) {
      try {
        vectors.add(encoder.encodeText(caption));
      } catch (UnencodableInputException e) {
        // Indexed without a caption vector; not a query anyone types either.
      }
    }
    return vectors;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The model identity of the index. */
  public ModelIdentity modelIdentity() {
    return identity;
  }

  /** Name of the exact scorer used for re-ranking ({@code "faiss"} or {@code "java"}). */
  public String exactScorerName() {
    return exactScorer.name();
  }

  /** Live documents visible to searches now. */
  public int numDocs() throws IOException {
    IndexSearcher s = acquire();
    try {
      return s.getIndexReader().numDocs();
    } finally {
      manager.release(s);
    }
  }

  /**
   * Makes changes visible: in near-real-time mode everything the writer has indexed so far, in
   * directory mode the latest commit. Blocks until the new searcher is open.
   *
   * @throws ModelMismatchException if the directory now holds an index of another model; the
   *     current searcher then stays live
   */
  public void refresh() throws IOException {
    requireManager().maybeRefreshBlocking();
  }

  /**
   * The stored full-precision vector of a document.
   *
   * @return empty if there is no live document with this id or it has no vector in that field
   */
  public Optional<float[]> storedVector(String id, String field) throws IOException {
    IndexSearcher s = acquire();
    try {
      return QueryVectorMixer.storedVector(s, id, field);
    } finally {
      manager.release(s);
    }
  }

  /**
   * Runs a request on a searcher acquired from this searcher's manager.
   *
   * @throws InvalidRequestException if what the request asks for cannot be done (unknown document
   *     to find more like, a vector of the wrong dimension, text or images without an encoder)
   * @throws IllegalStateException if this searcher was built without a manager
   */
  public SearchResults search(SearchRequest request) throws IOException {
    IndexSearcher s = acquire();
    try {
      return search(s, request);
    } finally {
      manager.release(s);
    }
  }

  /**
   * Runs a request on a searcher acquired from this searcher's manager, with Lucene's timeout on
   * every search the request makes: scoring stops ({@link IndexSearcher#setTimeout}) and so does
   * the HNSW walk ({@code TimeLimitingKnnCollectorManager}) once {@code timeout} says so. The
   * results are then partial; the caller's {@link QueryTimeout} knows whether it fired. The
   * per-request searcher shares the acquired one's reader, similarity and query cache, and searches
   * its slices on the {@linkplain Builder#executor executor} given to the builder (Lucene does not
   * expose the acquired searcher's own executor, so give the builder the one your searchers use).
   *
   * @throws InvalidRequestException see {@link #search(SearchRequest)}
   */
  public SearchResults search(SearchRequest request, QueryTimeout timeout) throws IOException {
    IndexSearcher s = acquire();
    try {
      IndexSearcher limited = new IndexSearcher(s.getIndexReader(), executor);
      limited.setSimilarity(s.getSimilarity());
      limited.setQueryCache(s.getQueryCache());
      limited.setQueryCachingPolicy(s.getQueryCachingPolicy());
      limited.setTimeout(timeout);
      return search(limited, request);
    } finally {
      manager.release(s);
    }
  }

  /**
   * Runs a request on a searcher the caller provides (and keeps owning).
   *
   * @throws ModelMismatchException if the searcher's index records another model
   * @throws InvalidRequestException see {@link #search(SearchRequest)}
   */
  public SearchResults search(IndexSearcher searcher, SearchRequest request) throws IOException {
    ReaderState state = readerState(searcher.getIndexReader());
    return execution.run(searcher, request, state.facets());
  }

  /**
   * The Lucene query of the request's vector part, for a host to compose with its own queries: the
   * filtered {@link KnnFloatVectorQuery} (already run, so it is a fixed candidate set) wrapped, if
   * the request re-ranks, in the exact scorer's re-rank query keeping {@link
   * SearchRequest#window()} documents. Valid for {@code searcher} only.
   *
   * @throws InvalidRequestException if the request has no vector part or it cannot be resolved
   */
  public Query vectorQuery(IndexSearcher searcher, SearchRequest request) throws IOException {
    readerState(searcher.getIndexReader());
    return execution.vectorQuery(searcher, request);
  }

  /**
   * The recall calibration searches of {@code field} use now, on the current searcher's reader: the
   * one measured on its layout, or the nearest there is while its layout is being measured.
   *
   * @return empty if there is none yet
   * @throws IllegalStateException if this searcher was built without a manager
   */
  public Optional<LayoutCalibrations.Current> recallCalibration(String field) throws IOException {
    IndexSearcher s = acquire();
    try {
      return calibrations.forReader(s.getIndexReader(), field);
    } finally {
      manager.release(s);
    }
  }

  /**
   * Waits, up to {@code timeout}, until the current searcher's reader has a calibration of its own
   * layout for {@code field} (starting its measurement if none is under way): for callers that
   * would rather wait than search with a stale or no calibration (an evaluation, a benchmark).
   *
   * @return whether the reader is calibrated now
   */
  public boolean awaitRecallCalibration(String field, long timeout, TimeUnit unit)
      throws IOException, InterruptedException {
    IndexSearcher s = acquire();
    try {
      IndexReader reader = s.getIndexReader();
      if (calibrations
          .forReader(reader, field)
          .map(LayoutCalibrations.Current::current)
          .orElse(false)) {
        return true;
      }
      calibrations.awaitMeasurement(reader, field, timeout, unit);
      return calibrations
          .forReader(reader, field)
          .map(LayoutCalibrations.Current::current)
          .orElse(false);
    } finally {
      manager.release(s);
    }
  }

  /** The state of a reader, checking its model the first time it is seen. */
  private ReaderState readerState(IndexReader reader) throws IOException {
    IndexReader.CacheHelper helper = reader.getReaderCacheHelper();
    if (helper == null) {
      return newReaderState(reader);
    }
    IndexReader.CacheKey key = helper.getKey();
    ReaderState state = readers.get(key);
    if (state == null) {
      state = newReaderState(reader);
      if (readers.putIfAbsent(key, state) == null) {
        helper.addClosedListener(readers::remove);
      }
    }
    return state;
  }

  private ReaderState newReaderState(IndexReader reader) throws IOException {
    ModelCheckingSearcherFactory.check(reader, identity);
    return new ReaderState(ClassFacets.newState(reader));
  }

  private IndexSearcher acquire() throws IOException {
    return requireManager().acquire();
  }

  private ReferenceManager<IndexSearcher> requireManager() {
    if (manager == null) {
      throw new IllegalStateException(
          "this searcher has no searcher manager; use search(IndexSearcher, SearchRequest)");
    }
    return manager;
  }

  /**
   * Releases what this searcher opened itself: its own searcher manager (directory mode) and the
   * default exact scorer if it created one.
   */
  @Override
  public void close() throws IOException {
    try {
      if (ownsManager) {
        manager.close();
      }
    } finally {
      analyzer.close();
      calibrations.close();
      if (ownsExactScorer) {
        exactScorer.close();
      }
    }
  }

  /** Configures a {@link MultimodalSearcher}. Not thread-safe. */
  public static final class Builder {
    private MultimodalIndexWriter writer;
    private Directory directory;
    private ReferenceManager<IndexSearcher> hostManager;
    private ModelIdentity identity;
    private Executor executor;
    private QueryEncoder encoder;
    private ExactScorer exactScorer;
    private IndexCalibration recallCalibration;
    private boolean measureRecallInBackground = true;
    private int sources;

    private Builder() {}

    /**
     * Search the writer's near-real-time view; {@link MultimodalSearcher#refresh()} refreshes it.
     */
    public Builder nearRealTime(MultimodalIndexWriter writer) {
      this.writer = Objects.requireNonNull(writer);
      this.identity = writer.modelIdentity();
      sources++;
      return this;
    }

    /**
     * Search the latest commit in {@code directory}, which must have been built with {@code
     * expected}; the searcher opens (and closes) its own {@link SearcherManager}.
     */
    public Builder directory(Directory directory, ModelIdentity expected) {
      this.directory = Objects.requireNonNull(directory);
      this.identity = Objects.requireNonNull(expected);
      sources++;
      return this;
    }

    /**
     * Search the searchers of the host's manager (not closed here). Build it with {@link
     * ModelCheckingSearcherFactory} so that a refresh never makes another model's index live; every
     * reader is checked before its first search either way.
     */
    public Builder searcherManager(
        ReferenceManager<IndexSearcher> manager, ModelIdentity expected) {
      this.hostManager = Objects.requireNonNull(manager);
      this.identity = Objects.requireNonNull(expected);
      sources++;
      return this;
    }

    /**
     * No manager: the host passes a point-in-time searcher to every {@link
     * MultimodalSearcher#search(IndexSearcher, SearchRequest)} call; each reader is checked for
     * {@code expected}.
     */
    public Builder model(ModelIdentity expected) {
      this.identity = Objects.requireNonNull(expected);
      sources++;
      return this;
    }

    /**
     * Executor for the searchers this searcher creates itself: its own manager's (directory mode)
     * and the per-request searchers of {@link MultimodalSearcher#search(SearchRequest,
     * QueryTimeout)} (every mode): Lucene then searches the slices of one request concurrently. A
     * host with its own manager should give the executor its searchers use. Not shut down here.
     */
    public Builder executor(Executor executor) {
      this.executor = executor;
      return this;
    }

    /** Encoder for text and image parts; must match the index's model. Not closed by us. */
    public Builder queryEncoder(QueryEncoder encoder) {
      this.encoder = encoder;
      return this;
    }

    /**
     * Scorer for exact re-ranking. Not closed by the searcher. If none is given, the searcher
     * creates {@link ExactScorers#defaultScorer()} (the pure-Java path, Lucene's {@code
     * RescoreTopNQuery}, unless {@code -Dmmsearch.rerank.scorer=faiss}) and closes it.
     */
    public Builder exactScorer(ExactScorer exactScorer) {
      this.exactScorer = exactScorer;
      return this;
    }

    /**
     * How readers whose commit holds no calibration of their layout are measured; default {@link
     * IndexCalibration#defaults()}, with the query encoder embedding stored captions as text
     * queries when one is given.
     */
    public Builder recallCalibration(IndexCalibration how) {
      this.recallCalibration = Objects.requireNonNull(how);
      return this;
    }

    /**
     * Whether a reader whose commit holds no calibration of its layout is measured on a background
     * thread (default true). False suits a one-shot search: it uses what the commit holds (a stale
     * calibration, or none: the default oversample) and measures nothing.
     */
    public Builder measureRecallInBackground(boolean measure) {
      this.measureRecallInBackground = measure;
      return this;
    }

    /**
     * @throws ModelMismatchException if the index or the encoder belongs to another model
     * @throws IllegalStateException if not exactly one of a writer, a directory, a manager or a
     *     model was given
     */
    public MultimodalSearcher build() throws IOException {
      if (sources != 1) {
        throw new IllegalStateException(
            "give exactly one of nearRealTime(writer), directory(...), searcherManager(...) and"
                + " model(...)");
      }
      if (encoder != null && !encoder.identity().equals(identity)) {
        throw new ModelMismatchException(
            "the query encoder does not match the index", identity, encoder.identity());
      }
      if (directory != null) {
        SearcherManager own =
            new SearcherManager(directory, new ModelCheckingSearcherFactory(identity, executor));
        try {
          return new MultimodalSearcher(this, own, true);
        } catch (IOException | RuntimeException e) {
          own.close();
          throw e;
        }
      }
      ReferenceManager<IndexSearcher> m = writer != null ? writer.searcherManager() : hostManager;
      MultimodalSearcher searcher = new MultimodalSearcher(this, m, false);
      if (m != null) {
        IndexSearcher s = m.acquire();
        try {
          searcher.readerState(s.getIndexReader()); // refuse another model's index at once
        } catch (IOException | RuntimeException e) {
          searcher.close();
          throw e;
        } finally {
          m.release(s);
        }
      }
      return searcher;
    }
  }
}
