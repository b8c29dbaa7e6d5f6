package io.mmsearch.tools.search;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.encoders.cache.QueryVectorCache;
import io.mmsearch.lucene.encode.BundleQueryEncoder;
import io.mmsearch.lucene.parser.MultimodalQueryParser;
import io.mmsearch.lucene.recall.IndexCalibration;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.search.Hit;
import io.mmsearch.lucene.search.MultimodalSearcher;
import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.lucene.search.SearchResults;
import io.mmsearch.semantics.recall.LayoutCalibrations;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;

/**
 * A model bundle's encoders and a searcher over an index built with it, opened once and shared by
 * every search of a command or a server.
 *
 * <p>Query vectors go through a {@link QueryVectorCache} of the session (a repeated text or image
 * is encoded once; its figures are {@link #queryCache()}).
 *
 * <p>Thread-safe. Owns the encoders, the directory, the searcher and the cache; {@link #close()}
 * closes them (and drops the model's vectors from the cache).
 */
public final class SearchSession implements Closeable {
  private final DualEncoder encoders;
  private final Directory directory;
  private final MultimodalSearcher searcher;
  private final QueryVectorCache cache;
  private final Analyzer analyzer = ImageSchema.newAnalyzer();

  private SearchSession(
      DualEncoder encoders,
      Directory directory,
      MultimodalSearcher searcher,
      QueryVectorCache cache) {
    this.encoders = encoders;
    this.directory = directory;
    this.searcher = searcher;
    this.cache = cache;
  }

  /**
   * Opens the bundle and the index's last commit.
   *
   * @throws io.mmsearch.lucene.schema.ModelMismatchException if the index was built with another
   *     model (the message names both fingerprints)
   * @throws org.apache.lucene.index.IndexNotFoundException if there is no index
   */
  public static SearchSession open(Path index, Path bundle) throws IOException {
    return open(index, bundle, QueryVectorCache.DEFAULT_MAX_ENTRIES);
  }

  /**
   * Opens the bundle and the index's last commit, with a query-vector cache of this many entries
   * (0: none).
   *
   * @see #open(Path, Path)
   */
  public static SearchSession open(Path index, Path bundle, long queryCacheEntries)
      throws IOException {
    return open(index, bundle, queryCacheEntries, true);
  }

  /**
   * Opens the bundle and the index's last commit.
   *
   * @param queryCacheEntries query vectors cached (0: none)
   * @param measureRecall whether a reader whose commit holds no recall calibration of its layout is
   *     measured in the background (a server: yes; a one-shot search: no, it uses what the commit
   *     holds, else the default oversample)
   * @see #open(Path, Path)
   */
  public static SearchSession open(
      Path index, Path bundle, long queryCacheEntries, boolean measureRecall) throws IOException {
    DualEncoder encoders = Encoders.open(EncoderCriteria.builder().bundle(bundle).build());
    Directory directory;
    try {
      directory = FSDirectory.open(index);
    } catch (IOException | RuntimeException e) {
      encoders.close();
      throw e;
    }
    return open(directory, encoders, queryCacheEntries, measureRecall);
  }

  /**
   * Opens a searcher over the last commit of {@code directory} with encoders the caller already
   * has, and a query-vector cache of the default size. Takes ownership of both: they are closed by
   * {@link #close()}, or here if opening fails.
   *
   * @throws io.mmsearch.lucene.schema.ModelMismatchException if the index was built with another
   *     model
   * @throws org.apache.lucene.index.IndexNotFoundException if there is no index
   */
  public static SearchSession open(Directory directory, DualEncoder encoders) throws IOException {
    return open(directory, encoders, QueryVectorCache.DEFAULT_MAX_ENTRIES);
  }

  /**
   * Opens a searcher over the last commit of {@code directory} with encoders the caller already
   * has, and a query-vector cache of this many entries (0: none). Takes ownership of both: they are
   * closed by {@link #close()}, or here if opening fails.
   *
   * @throws io.mmsearch.lucene.schema.ModelMismatchException if the index was built with another
   *     model
   * @throws org.apache.lucene.index.IndexNotFoundException if there is no index
   */
  public static SearchSession open(
      Directory directory, DualEncoder encoders, long queryCacheEntries) throws IOException {
    return open(directory, encoders, queryCacheEntries, true);
  }

  private static SearchSession open(
      Directory directory, DualEncoder encoders, long queryCacheEntries, boolean measureRecall)
      throws IOException {
    QueryVectorCache cache = new QueryVectorCache(queryCacheEntries);
    try {
      ModelIdentity identity = new ModelIdentity(encoders.fingerprint(), encoders.dimension());
      BundleQueryEncoder queryEncoder = BundleQueryEncoder.of(encoders, cache);
      MultimodalSearcher searcher =
          MultimodalSearcher.builder()
              .directory(directory, identity)
              .queryEncoder(queryEncoder)
              // Text-like calibration queries: stored captions through the model's text encoder.
              .recallCalibration(IndexCalibration.defaults().withCaptionEncoder(encoders.text()))
              .measureRecallInBackground(measureRecall)
              .build();
      return new SearchSession(encoders, directory, searcher, cache);
    } catch (IOException | RuntimeException e) {
      IOUtils.closeWhileHandlingException(directory);
      encoders.close();
      throw e;
    }
  }

  /**
   * A request builder from what a user typed: a query in the {@link MultimodalQueryParser} syntax
   * and a filter in the same syntax, either may be null or blank. The caller adds the rest (text,
   * image, paging) and builds.
   *
   * @throws io.mmsearch.lucene.parser.QueryParseException naming the column if either does not
   *     parse
   */
  public SearchRequest.Builder parse(String query, String filter) {
    // Parsers are cheap and not thread-safe: one per request.
    MultimodalQueryParser parser = new MultimodalQueryParser(analyzer);
    SearchRequest.Builder request =
        query == null || query.isBlank() ? SearchRequest.builder() : parser.parseRequest(query);
    if (filter != null && !filter.isBlank()) {
      request.filter(parser.parseFilter(filter));
    }
    return request;
  }

  /**
   * Runs a request.
   *
   * @throws io.mmsearch.lucene.search.InvalidRequestException if the request cannot run (message
   *     says why)
   * @throws io.mmsearch.encoders.error.EncodingException if the query text or image cannot be
   *     encoded
   */
  public SearchResults search(SearchRequest request) throws IOException {
    return searcher.search(request);
  }

  /**
   * Runs a request with Lucene's timeout on its searches (see {@link
   * MultimodalSearcher#search(SearchRequest, QueryTimeout)}); the results are partial if {@code
   * timeout} fired.
   */
  public SearchResults search(SearchRequest request, QueryTimeout timeout) throws IOException {
    return searcher.search(request, timeout);
  }

  /** The indexed document with this id, as a hit (id, uri, caption, class), if there is one. */
  public Optional<Hit> document(String id) throws IOException {
    SearchRequest q =
        SearchRequest.builder()
            .keywordQuery(new TermQuery(new Term(ImageSchema.ID, id)))
            .k(1)
            .size(1)
            .facets(false)
            .build();
    SearchResults r = searcher.search(q);
    return r.hits().isEmpty() ? Optional.empty() : Optional.of(r.hits().get(0));
  }

  /** Picks up a newer commit of the index, if any. */
  public void refresh() throws IOException {
    searcher.refresh();
  }

  /** Live documents in the searched commit. */
  public int documents() throws IOException {
    return searcher.numDocs();
  }

  /**
   * The recall calibration the searcher uses now for {@code field}: measured on the current
   * reader's layout, or the nearest one while that is being measured; empty if none.
   */
  public Optional<LayoutCalibrations.Current> recallCalibration(String field) throws IOException {
    return searcher.recallCalibration(field);
  }

  public ModelIdentity modelIdentity() {
    return searcher.modelIdentity();
  }

  /** The figures of the session's query-vector cache. */
  public QueryVectorCache.Stats queryCache() {
    return cache.stats();
  }

  /** The opened encoders (for callers that embed queries themselves). */
  public DualEncoder encoders() {
    return encoders;
  }

  @Override
  public void close() throws IOException {
    try {
      IOUtils.close(searcher, directory, analyzer);
    } finally {
      cache.invalidateModel(encoders.fingerprint());
      encoders.close();
    }
  }
}
