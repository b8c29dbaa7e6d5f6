package io.mmsearch.lucene.search;

import io.mmsearch.lucene.encode.QueryEncoder;
import io.mmsearch.lucene.fusion.RankedList;
import io.mmsearch.lucene.index.MultimodalIndexWriter;
import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.lucene.rerank.ExactScorers;
import io.mmsearch.lucene.rerank.VectorBlock;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.schema.ModelIdentity;
import io.mmsearch.lucene.schema.ModelMismatchException;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;

/**
 * Runs {@link MultimodalQuery}s against an mmsearch index.
 *
 * <h2>How a query runs</h2>
 *
 * <ol>
 *   <li>The vector sources are embedded (text and image through the {@link QueryEncoder}; {@code
 *       likeId} by reading the stored full-precision vector), mixed by weight and normalised.
 *   <li>HNSW search ({@link KnnFloatVectorQuery}) with the filter applied inside the graph walk
 *       returns {@link MultimodalQuery#candidateCount()} candidates.
 *   <li>With re-rank on, the candidates' full-precision vectors are read ({@link
 *       FloatVectorValues}, whatever the quantisation of the graph) and scored by the {@link
 *       ExactScorer}; the best {@link MultimodalQuery#window()} by exact score (ties by doc id)
 *       form the vector list.
 *   <li>The keyword query, filtered, gives the BM25 list (top window).
 *   <li>Both lists are fused ({@link Fusion}); a single list is used as is. Ties: doc id ascending.
 *   <li>The matched set, for {@link SearchResults#totalMatches()} and the class facet counts, is
 *       the union of all filtered keyword matches and all HNSW candidates. For a vector-only query
 *       it is therefore the {@code candidateCount} nearest neighbours: a vector query has no
 *       natural cut-off, and the candidates are the documents it actually considered.
 * </ol>
 *
 * <h2>Threads and lifecycle</h2>
 *
 * Thread-safe: any number of threads may search while another calls {@link #refresh()}; each search
 * uses one point-in-time reader. The searcher does not own the query encoder, the exact scorer, or
 * (in near-real-time mode) the writer's {@link SearcherManager}; {@link #close()} closes only what
 * it opened itself.
 */
public final class MultimodalSearcher implements Closeable {
  private static final Set<String> HIT_FIELDS =
      Set.of(ImageSchema.ID, ImageSchema.URI, ImageSchema.CAPTION, ImageSchema.CLASS);

  private final SearcherManager manager;
  private final boolean ownsManager;
  private final ModelIdentity identity;
  private final QueryEncoder encoder;
  private final ExactScorer exactScorer;
  private final boolean ownsExactScorer;
  private final Analyzer analyzer;
  private final Map<IndexReader.CacheKey, SortedSetDocValuesReaderState> facetStates =
      new ConcurrentHashMap<>();

  private MultimodalSearcher(
      SearcherManager manager,
      boolean ownsManager,
      ModelIdentity identity,
      QueryEncoder encoder,
      ExactScorer exactScorer,
      boolean ownsExactScorer) {
    this.manager = manager;
    this.ownsManager = ownsManager;
    this.identity = identity;
    this.encoder = encoder;
    this.exactScorer = exactScorer;
    this.ownsExactScorer = ownsExactScorer;
    this.analyzer = ImageSchema.newAnalyzer();
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
    IndexSearcher s = manager.acquire();
    try {
      return s.getIndexReader().numDocs();
    } finally {
      manager.release(s);
    }
  }

  /**
   * Makes changes visible: in near-real-time mode, everything the writer has indexed so far; in
   * directory mode, the latest commit (whose model identity is checked again).
   *
   * @throws ModelMismatchException if the directory now holds an index of another model
   */
  public void refresh() throws IOException {
    manager.maybeRefreshBlocking();
    if (ownsManager) {
      IndexSearcher s = manager.acquire();
      try {
        checkIdentity((DirectoryReader) s.getIndexReader(), identity);
      } finally {
        manager.release(s);
      }
    }
  }

  /**
   * The stored full-precision vector of a document.
   *
   * @return empty if there is no live document with this id or it has no vector in that field
   */
  public Optional<float[]> storedVector(String id, String field) throws IOException {
    IndexSearcher s = manager.acquire();
    try {
      return readVector(s, id, field);
    } finally {
      manager.release(s);
    }
  }

  /**
   * Runs a query.
   *
   * @throws InvalidRequestException if a vector source is unusable (unknown likeId, wrong
   *     dimension, no encoder for text/image); the message names it
   */
  public SearchResults search(MultimodalQuery query) throws IOException {
    IndexSearcher s = manager.acquire();
    try {
      return search(s, query);
    } finally {
      manager.release(s);
    }
  }

  private SearchResults search(IndexSearcher s, MultimodalQuery q) throws IOException {
    Query filter = filterQuery(q);
    int window = q.window();

    RankedList approximate = RankedList.empty();
    RankedList exact = null;
    RankedList vectorList = RankedList.empty();
    Query candidates = null;
    if (q.hasVectorPart()) {
      float[] target = queryVector(s, q);
      Query knn = new KnnFloatVectorQuery(q.vectorField(), target, q.candidateCount(), filter);
      // Rewriting runs the HNSW search once; the rewritten query is the fixed candidate set,
      // reused for ranking and for the facet/total pass.
      candidates = s.rewrite(knn);
      approximate = toRankedList(s.search(candidates, q.candidateCount()));
      if (q.rerank()) {
        exact = exactRanking(s, q.vectorField(), target, approximate.docs());
        vectorList = exact.top(window);
      } else {
        vectorList = approximate.top(window);
      }
    }

    RankedList keywordList = RankedList.empty();
    Query keywordMatches = null;
    if (q.hasKeywordPart()) {
      Query keywordQuery = keywordQuery(q);
      if (keywordQuery != null) {
        keywordMatches =
            filter == null
                ? keywordQuery
                : new BooleanQuery.Builder()
                    .add(keywordQuery, Occur.MUST)
                    .add(filter, Occur.FILTER)
                    .build();
        keywordList = toRankedList(s.search(keywordMatches, window));
      }
    }

    RankedList ranked;
    if (q.hasKeywordPart() && q.hasVectorPart()) {
      ranked = q.fusion().toScoreFusion().fuse(List.of(keywordList, vectorList));
    } else {
      ranked = q.hasVectorPart() ? vectorList : keywordList;
    }

    Query matched = union(keywordMatches, candidates);
    long total = 0;
    List<FacetCount> classCounts = List.of();
    if (matched != null) {
      if (q.facets()) {
        FacetsCollector fc =
            FacetsCollectorManager.search(s, matched, 1, new FacetsCollectorManager())
                .facetsCollector();
        total =
            fc.getMatchingDocs().stream().mapToLong(FacetsCollector.MatchingDocs::totalHits).sum();
        classCounts = classCounts(s.getIndexReader(), fc);
      } else {
        total = s.count(matched);
      }
    }

    List<Hit> hits = page(s, q, ranked, keywordList, approximate, exact);
    return new SearchResults(hits, total, classCounts, ranked.size());
  }

  private List<Hit> page(
      IndexSearcher s,
      MultimodalQuery q,
      RankedList ranked,
      RankedList keywordList,
      RankedList approximate,
      RankedList exact)
      throws IOException {
    Map<Integer, Integer> keywordPos = positions(keywordList);
    Map<Integer, Integer> approxPos = positions(approximate);
    Map<Integer, Integer> exactPos = exact == null ? Map.of() : positions(exact);
    List<Hit> hits = new ArrayList<>();
    int end = Math.min(ranked.size(), q.from() + q.size());
    for (int i = q.from(); i < end; i++) {
      int doc = ranked.doc(i);
      Integer kp = keywordPos.get(doc);
      Integer ap = approxPos.get(doc);
      Integer ep = exactPos.get(doc);
      HitExplanation explanation =
          new HitExplanation(
              kp == null ? Float.NaN : keywordList.score(kp),
              kp == null ? 0 : kp + 1,
              ap == null ? Float.NaN : approximate.score(ap),
              ap == null ? 0 : ap + 1,
              ep == null ? Float.NaN : exact.score(ep),
              ep == null ? 0 : ep + 1,
              ranked.score(i));
      Document stored = s.storedFields().document(doc, HIT_FIELDS);
      hits.add(
          new Hit(
              stored.get(ImageSchema.ID),
              stored.get(ImageSchema.URI),
              stored.get(ImageSchema.CAPTION),
              stored.get(ImageSchema.CLASS),
              ranked.score(i),
              doc,
              explanation));
    }
    return hits;
  }

  private static Map<Integer, Integer> positions(RankedList list) {
    Map<Integer, Integer> positions = new HashMap<>(list.size() * 2);
    for (int i = 0; i < list.size(); i++) {
      positions.put(list.doc(i), i);
    }
    return positions;
  }

  private static RankedList toRankedList(TopDocs topDocs) {
    ScoreDoc[] sd = topDocs.scoreDocs;
    int[] docs = new int[sd.length];
    float[] scores = new float[sd.length];
    for (int i = 0; i < sd.length; i++) {
      docs[i] = sd[i].doc;
      scores[i] = sd[i].score;
    }
    return RankedList.of(docs, scores);
  }

  private static Query union(Query a, Query b) {
    if (a == null) return b;
    if (b == null) return a;
    return new BooleanQuery.Builder().add(a, Occur.SHOULD).add(b, Occur.SHOULD).build();
  }

  private static Query filterQuery(MultimodalQuery q) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    boolean positive = false;
    boolean any = false;
    if (!q.classes().isEmpty()) {
      List<BytesRef> values = q.classes().stream().map(BytesRef::new).toList();
      b.add(new TermInSetQuery(ImageSchema.CLASS, values), Occur.FILTER);
      positive = any = true;
    }
    if (q.filter().isPresent()) {
      b.add(q.filter().get(), Occur.FILTER);
      positive = any = true;
    }
    if (q.likeId().isPresent()) {
      // More-like-this never returns its own example.
      b.add(new TermQuery(new Term(ImageSchema.ID, q.likeId().get())), Occur.MUST_NOT);
      any = true;
    }
    if (!any) {
      return null;
    }
    if (!positive) {
      b.add(new MatchAllDocsQuery(), Occur.FILTER);
    }
    return b.build();
  }

  private Query keywordQuery(MultimodalQuery q) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    int clauses = 0;
    if (q.keywords().isPresent()) {
      QueryBuilder builder = new QueryBuilder(analyzer);
      for (String field : List.of(ImageSchema.CAPTION, ImageSchema.KEYWORDS)) {
        Query fieldQuery = builder.createBooleanQuery(field, q.keywords().get(), Occur.SHOULD);
        if (fieldQuery != null) {
          b.add(fieldQuery, Occur.SHOULD);
          clauses++;
        }
      }
    }
    if (q.keywordQuery().isPresent()) {
      b.add(q.keywordQuery().get(), Occur.SHOULD);
      clauses++;
    }
    return clauses == 0 ? null : b.build();
  }

  private float[] queryVector(IndexSearcher s, MultimodalQuery q) throws IOException {
    int dim = identity.dimension();
    double[] mixed = new double[dim];
    if (q.text().isPresent()) {
      add(
          mixed,
          checkVector("text query vector", requireEncoder("text").encodeText(q.text().get())),
          q.textWeight());
    }
    if (q.image().isPresent()) {
      add(
          mixed,
          checkVector("image query vector", requireEncoder("image").encodeImage(q.image().get())),
          q.imageWeight());
    }
    if (q.vector().isPresent()) {
      add(mixed, checkVector("query vector", q.vector().get()), q.vectorWeight());
    }
    if (q.likeId().isPresent()) {
      String id = q.likeId().get();
      float[] like =
          readVector(s, id, q.vectorField())
              .orElseThrow(
                  () ->
                      new InvalidRequestException(
                          "likeId '"
                              + id
                              + "': no live document with that id and a "
                              + q.vectorField()
                              + " vector"));
      add(mixed, like, q.likeWeight());
    }
    double norm = 0;
    for (double v : mixed) norm += v * v;
    norm = Math.sqrt(norm);
    if (!(norm > 0)) {
      throw new InvalidRequestException(
          "the mixed query vector is zero (all weights 0, or the sources cancel out): " + q);
    }
    float[] target = new float[dim];
    for (int i = 0; i < dim; i++) target[i] = (float) (mixed[i] / norm);
    return target;
  }

  private QueryEncoder requireEncoder(String kind) {
    if (encoder == null) {
      throw new InvalidRequestException(
          "a " + kind + " query needs a QueryEncoder, but this searcher has none");
    }
    return encoder;
  }

  private float[] checkVector(String what, float[] v) {
    if (v.length != identity.dimension()) {
      throw new InvalidRequestException(
          what + " has " + v.length + " dimensions, the index's model has " + identity.dimension());
    }
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new InvalidRequestException(what + " component " + i + " is " + v[i]);
      }
    }
    return v;
  }

  private static void add(double[] acc, float[] v, float weight) {
    for (int i = 0; i < acc.length; i++) acc[i] += (double) weight * v[i];
  }

  private static Optional<float[]> readVector(IndexSearcher s, String id, String field)
      throws IOException {
    TopDocs td = s.search(new TermQuery(new Term(ImageSchema.ID, id)), 1);
    if (td.scoreDocs.length == 0) {
      return Optional.empty();
    }
    int doc = td.scoreDocs[0].doc;
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    FloatVectorValues values = leaf.reader().getFloatVectorValues(field);
    if (values == null) {
      return Optional.empty();
    }
    KnnVectorValues.DocIndexIterator it = values.iterator();
    int local = doc - leaf.docBase;
    if (it.advance(local) != local) {
      return Optional.empty();
    }
    return Optional.of(values.vectorValue(it.index()).clone());
  }

  /**
   * Scores the candidates exactly on their full-precision vectors, read as one contiguous block and
   * passed to the exact scorer in a single call.
   */
  private RankedList exactRanking(IndexSearcher s, String field, float[] target, int[] candidates)
      throws IOException {
    if (candidates.length == 0) {
      return RankedList.empty(); // e.g. an empty index: no segment has the field yet
    }
    int[] docs = candidates.clone();
    Arrays.sort(docs); // one forward pass over each segment's vectors
    VectorBlock block = VectorBlock.read(s.getIndexReader(), field, docs);
    float[] ip = exactScorer.innerProducts(target, block.data(), docs.length);
    float[] scores = new float[docs.length];
    for (int i = 0; i < docs.length; i++) {
      // Lucene's DOT_PRODUCT score, so approximate and exact scores are in the same units.
      scores[i] = Math.max((1f + ip[i]) / 2f, 0f);
    }
    return RankedList.of(docs, scores);
  }

  private List<FacetCount> classCounts(IndexReader reader, FacetsCollector fc) throws IOException {
    SortedSetDocValuesReaderState state = facetState(reader);
    if (state == null) {
      return List.of();
    }
    SortedSetDocValuesFacetCounts counts = new SortedSetDocValuesFacetCounts(state, fc);
    FacetResult result;
    try {
      result = counts.getAllChildren(ImageSchema.CLASS);
    } catch (IllegalArgumentException noSuchDimension) {
      return List.of();
    }
    if (result == null) {
      return List.of();
    }
    return Arrays.stream(result.labelValues)
        .filter(lv -> lv.value.intValue() > 0)
        .sorted(
            Comparator.comparingInt((LabelAndValue lv) -> -lv.value.intValue())
                .thenComparing(lv -> lv.label))
        .map(lv -> new FacetCount(lv.label, lv.value.intValue()))
        .collect(Collectors.toList());
  }

  /** Facet ordinals are per reader: cached per reader, dropped when the reader closes. */
  private SortedSetDocValuesReaderState facetState(IndexReader reader) throws IOException {
    IndexReader.CacheHelper helper = reader.getReaderCacheHelper();
    if (helper == null) {
      return newFacetState(reader);
    }
    IndexReader.CacheKey key = helper.getKey();
    SortedSetDocValuesReaderState state = facetStates.get(key);
    if (state == null) {
      state = newFacetState(reader);
      if (state != null && facetStates.putIfAbsent(key, state) == null) {
        helper.addClosedListener(facetStates::remove);
      }
    }
    return state;
  }

  private static SortedSetDocValuesReaderState newFacetState(IndexReader reader)
      throws IOException {
    try {
      return new DefaultSortedSetDocValuesReaderState(reader, ImageSchema.facetsConfig());
    } catch (IllegalArgumentException noFacetField) {
      return null; // no document carries a facet yet
    }
  }

  private static void checkIdentity(DirectoryReader reader, ModelIdentity expected)
      throws IOException {
    Optional<ModelIdentity> recorded =
        ModelIdentity.fromCommitUserData(reader.getIndexCommit().getUserData());
    if (recorded.isEmpty()) {
      throw new IllegalStateException(
          "index "
              + reader.directory()
              + " has no model identity in its commit data; expected "
              + expected);
    }
    if (!recorded.get().equals(expected)) {
      throw new ModelMismatchException(
          "cannot search index " + reader.directory(), recorded.get(), expected);
    }
  }

  /**
   * Releases what this searcher opened itself: its own reader (directory mode) and the default
   * exact scorer if it created one.
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
    private ModelIdentity expected;
    private QueryEncoder encoder;
    private ExactScorer exactScorer;

    private Builder() {}

    /**
     * Search the writer's near-real-time view; {@link MultimodalSearcher#refresh()} refreshes it.
     */
    public Builder nearRealTime(MultimodalIndexWriter writer) {
      this.writer = Objects.requireNonNull(writer);
      return this;
    }

    /**
     * Search the latest commit in {@code directory}, which must have been built with {@code
     * expected}.
     */
    public Builder directory(Directory directory, ModelIdentity expected) {
      this.directory = Objects.requireNonNull(directory);
      this.expected = Objects.requireNonNull(expected);
      return this;
    }

    /** Encoder for text and image queries; must match the index's model. Not closed by us. */
    public Builder queryEncoder(QueryEncoder encoder) {
      this.encoder = encoder;
      return this;
    }

    /**
     * Scorer for exact re-ranking. Not closed by the searcher. If none is given, the searcher
     * creates {@link ExactScorers#defaultScorer()} (the pure-Java path unless {@code
     * -Dmmsearch.rerank.scorer=faiss}: it measured faster in {@code mmsearch bench ann}) and closes
     * it.
     */
    public Builder exactScorer(ExactScorer exactScorer) {
      this.exactScorer = exactScorer;
      return this;
    }

    /**
     * @throws ModelMismatchException if the index or the encoder belongs to another model
     * @throws IllegalStateException if neither or both of a writer and a directory were given
     */
    public MultimodalSearcher build() throws IOException {
      if ((writer == null) == (directory == null)) {
        throw new IllegalStateException(
            "give exactly one of nearRealTime(writer) and directory(...)");
      }
      ModelIdentity identity;
      SearcherManager manager;
      boolean owns;
      if (writer != null) {
        identity = writer.modelIdentity();
        manager = writer.searcherManager();
        owns = false;
      } else {
        DirectoryReader reader = DirectoryReader.open(directory);
        try {
          checkIdentity(reader, expected);
        } catch (RuntimeException e) {
          reader.close();
          throw e;
        }
        identity = expected;
        manager = new SearcherManager(reader, null);
        owns = true;
      }
      if (encoder != null && !encoder.identity().equals(identity)) {
        if (owns) manager.close();
        throw new ModelMismatchException(
            "the query encoder does not match the index", identity, encoder.identity());
      }
      ExactScorer scorer = exactScorer;
      boolean ownsScorer = false;
      if (scorer == null) {
        try {
          scorer = ExactScorers.defaultScorer();
        } catch (RuntimeException e) {
          if (owns) manager.close();
          throw e;
        }
        ownsScorer = true;
      }
      return new MultimodalSearcher(manager, owns, identity, encoder, scorer, ownsScorer);
    }
  }
}
