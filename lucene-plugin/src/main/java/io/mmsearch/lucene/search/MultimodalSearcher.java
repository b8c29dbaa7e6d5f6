package io.mmsearch.lucene.search;

import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.lucene.encode.QueryEncoder;
import io.mmsearch.lucene.fusion.LinearFusion;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.lucene.rerank.ExactScorers;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.ModelMismatchException;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;

/**
 * Runs {@link SearchRequest}s against an mmsearch index, made of Lucene's own parts.
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
 *   <li>Two lists are fused: RRF by Lucene's {@link TopDocs#rrf}, linear by {@link LinearFusion}
 *       (formulas in {@link Fusion}); a single list ranks by its own scores. Ties: doc id
 *       ascending.
 *   <li>The matched set, for {@link SearchResults#totalMatches()}, is the union of the filtered
 *       keyword matches and the kNN candidates: for a vector-only request the {@code
 *       candidateCount} nearest neighbours, since a vector query has no natural cut-off. Class
 *       counts come from one {@code DrillSideways} search with the chosen classes as drill-down
 *       (see {@link SearchResults#classCounts()}).
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
  private static final Set<String> HIT_FIELDS =
      Set.of(ImageSchema.ID, ImageSchema.URI, ImageSchema.CAPTION, ImageSchema.CLASS);

  private final ReferenceManager<IndexSearcher> manager;
  private final boolean ownsManager;
  private final ModelIdentity identity;
  private final QueryVectorMixer mixer;
  private final ExactScorer exactScorer;
  private final boolean ownsExactScorer;
  private final Analyzer analyzer = ImageSchema.newAnalyzer();
  private final Map<IndexReader.CacheKey, ReaderState> readers = new ConcurrentHashMap<>();

  /** What is computed once per reader: the model check (on creation) and the facet ordinals. */
  private record ReaderState(SortedSetDocValuesReaderState facets) {}

  private MultimodalSearcher(Builder b, ReferenceManager<IndexSearcher> manager, boolean owns)
      throws IOException {
    this.manager = manager;
    this.ownsManager = owns;
    this.identity = b.identity;
    this.mixer = new QueryVectorMixer(b.encoder, identity.dimension());
    this.ownsExactScorer = b.exactScorer == null;
    this.exactScorer = ownsExactScorer ? ExactScorers.defaultScorer() : b.exactScorer;
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
   * per-request searcher shares the acquired one's reader, similarity and query cache.
   *
   * @throws InvalidRequestException see {@link #search(SearchRequest)}
   */
  public SearchResults search(SearchRequest request, QueryTimeout timeout) throws IOException {
    IndexSearcher s = acquire();
    try {
      IndexSearcher limited = new IndexSearcher(s.getIndexReader());
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
    Query nonClassFilter = nonClassFilter(request);
    Query classFilter = classFilter(request);
    Query filter = and(classFilter, nonClassFilter);

    float[] target = null;
    Query candidates = null;
    TopDocs approximate = empty();
    TopDocs vectorTop = empty();
    boolean reranked = false;
    if (request.hasVectorPart()) {
      target = mixer.mix(request.vectorParts(), searcher, request.vectorField());
      candidates = candidates(searcher, request, target, filter);
      approximate = searcher.search(candidates, request.candidateCount());
      if (request.rerank() && approximate.scoreDocs.length > 0) {
        Query exact =
            exactScorer.rerankQuery(candidates, request.vectorField(), target, request.window());
        vectorTop = searcher.search(exact, request.window());
        reranked = true;
      } else {
        vectorTop = head(approximate, request.window());
      }
    }

    Query keywordQuery = keywordQuery(request);
    Query keywordMatches = and(keywordQuery, filter);
    TopDocs keywordTop =
        keywordMatches == null ? empty() : searcher.search(keywordMatches, request.window());

    TopDocs ranked;
    if (request.hasKeywordPart() && request.hasVectorPart()) {
      ranked = fuse(request.fusion(), keywordTop, vectorTop);
    } else {
      ranked = request.hasVectorPart() ? vectorTop : keywordTop;
    }

    Query matched = or(keywordMatches, candidates);
    long total = 0;
    List<FacetCount> classCounts = List.of();
    if (matched != null) {
      if (request.facets() && state.facets() != null) {
        Query base =
            classFilter == null
                ? matched
                : sidewaysBase(
                    searcher,
                    request,
                    target,
                    keywordQuery,
                    nonClassFilter,
                    classFilter,
                    candidates);
        ClassFacets.Counts counts =
            ClassFacets.count(searcher, state.facets(), base, request.classes());
        total = counts.total();
        classCounts = counts.classes();
      } else {
        total = searcher.count(matched);
      }
    }
    List<Hit> hits =
        page(searcher, request, ranked, keywordTop, approximate, reranked ? vectorTop : null);
    return new SearchResults(hits, total, classCounts, ranked.scoreDocs.length);
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
    float[] target = mixer.mix(request.vectorParts(), searcher, request.vectorField());
    Query candidates =
        candidates(searcher, request, target, and(classFilter(request), nonClassFilter(request)));
    return request.rerank()
        ? exactScorer.rerankQuery(candidates, request.vectorField(), target, request.window())
        : candidates;
  }

  /** The HNSW candidates as a fixed query: the kNN query, rewritten once. */
  private static Query candidates(
      IndexSearcher searcher, SearchRequest request, float[] target, Query filter)
      throws IOException {
    return searcher.rewrite(
        new KnnFloatVectorQuery(request.vectorField(), target, request.candidateCount(), filter));
  }

  /**
   * The matched set as if no class were chosen, minus what the chosen classes would add without
   * their filter: the keyword matches and the kNN candidates of every other class, plus this
   * request's own candidates. Its drill-down to the chosen classes is exactly the request's matched
   * set; its sideways counts give every other class the count of the same request without the class
   * filter.
   */
  private Query sidewaysBase(
      IndexSearcher searcher,
      SearchRequest request,
      float[] target,
      Query keywordQuery,
      Query nonClassFilter,
      Query classFilter,
      Query candidates)
      throws IOException {
    Query otherClasses = null;
    if (target != null) {
      Query unfiltered = candidates(searcher, request, target, nonClassFilter);
      otherClasses =
          new BooleanQuery.Builder()
              .add(unfiltered, Occur.MUST)
              .add(classFilter, Occur.MUST_NOT)
              .build();
    }
    return or(or(and(keywordQuery, nonClassFilter), candidates), otherClasses);
  }

  private static TopDocs fuse(Fusion fusion, TopDocs keyword, TopDocs vector) {
    TopDocs[] lists = {keyword, vector};
    return switch (fusion) {
      case Fusion.Rrf rrf -> {
        int union = keyword.scoreDocs.length + vector.scoreDocs.length;
        yield union == 0 ? empty() : TopDocs.rrf(union, rrf.rankConstant(), lists);
      }
      case Fusion.Linear linear ->
          LinearFusion.fuse(lists, new float[] {linear.keywordWeight(), linear.vectorWeight()});
    };
  }

  private List<Hit> page(
      IndexSearcher s,
      SearchRequest r,
      TopDocs ranked,
      TopDocs keyword,
      TopDocs approximate,
      TopDocs exact)
      throws IOException {
    Map<Integer, Integer> keywordPos = positions(keyword);
    Map<Integer, Integer> approxPos = positions(approximate);
    Map<Integer, Integer> exactPos = exact == null ? Map.of() : positions(exact);
    List<Hit> hits = new ArrayList<>();
    int end = Math.min(ranked.scoreDocs.length, r.from() + r.size());
    for (int i = r.from(); i < end; i++) {
      ScoreDoc hit = ranked.scoreDocs[i];
      Integer kp = keywordPos.get(hit.doc);
      Integer ap = approxPos.get(hit.doc);
      Integer ep = exactPos.get(hit.doc);
      HitExplanation explanation =
          new HitExplanation(
              kp == null ? Float.NaN : keyword.scoreDocs[kp].score,
              kp == null ? 0 : kp + 1,
              ap == null ? Float.NaN : approximate.scoreDocs[ap].score,
              ap == null ? 0 : ap + 1,
              ep == null ? Float.NaN : exact.scoreDocs[ep].score,
              ep == null ? 0 : ep + 1,
              hit.score);
      Document stored = s.storedFields().document(hit.doc, HIT_FIELDS);
      hits.add(
          new Hit(
              stored.get(ImageSchema.ID),
              stored.get(ImageSchema.URI),
              stored.get(ImageSchema.CAPTION),
              stored.get(ImageSchema.CLASS),
              hit.score,
              hit.doc,
              explanation));
    }
    return hits;
  }

  private static Map<Integer, Integer> positions(TopDocs list) {
    Map<Integer, Integer> positions = new HashMap<>(list.scoreDocs.length * 2);
    for (int i = 0; i < list.scoreDocs.length; i++) {
      positions.put(list.scoreDocs[i].doc, i);
    }
    return positions;
  }

  private static TopDocs head(TopDocs list, int n) {
    return list.scoreDocs.length <= n
        ? list
        : new TopDocs(list.totalHits, Arrays.copyOf(list.scoreDocs, n));
  }

  private static TopDocs empty() {
    return new TopDocs(new TotalHits(0, TotalHits.Relation.EQUAL_TO), new ScoreDoc[0]);
  }

  /**
   * {@code a AND b} as a filter-only conjunction (scores of {@code a} kept); null parts ignored.
   */
  private static Query and(Query scored, Query filter) {
    if (scored == null || filter == null) {
      return scored == null ? filter : scored;
    }
    return new BooleanQuery.Builder().add(scored, Occur.MUST).add(filter, Occur.FILTER).build();
  }

  private static Query or(Query a, Query b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return new BooleanQuery.Builder().add(a, Occur.SHOULD).add(b, Occur.SHOULD).build();
  }

  private static Query classFilter(SearchRequest r) {
    if (r.classes().isEmpty()) {
      return null;
    }
    return new TermInSetQuery(ImageSchema.CLASS, r.classes().stream().map(BytesRef::new).toList());
  }

  /** The request's filter query and the exclusion of documents it finds more like; or null. */
  private static Query nonClassFilter(SearchRequest r) {
    List<String> likeIds = r.likeIds();
    if (likeIds.isEmpty()) {
      return r.filter();
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    b.add(r.filter() != null ? r.filter() : new MatchAllDocsQuery(), Occur.FILTER);
    for (String id : likeIds) {
      b.add(new TermQuery(new Term(ImageSchema.ID, id)), Occur.MUST_NOT);
    }
    return b.build();
  }

  /**
   * BM25 over caption and keywords for the free keywords, OR-ed with the keyword query; or null.
   */
  private Query keywordQuery(SearchRequest r) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    int clauses = 0;
    if (r.keywords() != null) {
      QueryBuilder builder = new QueryBuilder(analyzer);
      for (String field : List.of(ImageSchema.CAPTION, ImageSchema.KEYWORDS)) {
        Query fieldQuery = builder.createBooleanQuery(field, r.keywords(), Occur.SHOULD);
        if (fieldQuery != null) {
          b.add(fieldQuery, Occur.SHOULD);
          clauses++;
        }
      }
    }
    if (r.keywordQuery() != null) {
      b.add(r.keywordQuery(), Occur.SHOULD);
      clauses++;
    }
    return clauses == 0 ? null : b.build();
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
     * Executor for the searchers this searcher opens itself (directory mode): Lucene then searches
     * the slices of one request concurrently. Not shut down here.
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
