package io.mmsearch.lucene.search;

import io.mmsearch.lucene.fusion.TopDocsFusion;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;

/**
 * The plan of one request on one point-in-time searcher, step by step:
 *
 * <ol>
 *   <li>the vector parts mixed into one unit target ({@link QueryVectorMixer});
 *   <li>the filtered kNN candidates, run once, and their exact re-rank ({@link VectorSearch});
 *   <li>the filtered keyword matches by BM25, top window;
 *   <li>the two lists fused by the shared arithmetic ({@link TopDocsFusion}), or the single list;
 *   <li>the total and class counts of the matched set ({@link MatchedSet});
 *   <li>the requested page with explanations ({@link HitPage}).
 * </ol>
 *
 * Thread-safe: holds only thread-safe collaborators; each call works on its own searcher.
 */
final class SearchExecution {
  private final QueryVectorMixer mixer;
  private final VectorSearch vectorSearch;
  private final Analyzer analyzer;

  SearchExecution(QueryVectorMixer mixer, VectorSearch vectorSearch, Analyzer analyzer) {
    this.mixer = mixer;
    this.vectorSearch = vectorSearch;
    this.analyzer = analyzer;
  }

  SearchResults run(
      IndexSearcher searcher, SearchRequest request, SortedSetDocValuesReaderState facets)
      throws IOException {
    RequestQueries queries = RequestQueries.of(request, analyzer);

    Optional<float[]> target = Optional.empty();
    Optional<VectorSearch.Result> vector = Optional.empty();
    if (request.hasVectorPart()) {
      target = Optional.of(mixer.mix(request.vectorParts(), searcher, request.vectorField()));
      vector = Optional.of(vectorSearch.search(searcher, request, target.get(), queries.filter()));
    }
    Optional<Query> keywordMatches = queries.keywordMatches();
    TopDocs keywordTop =
        keywordMatches.isPresent()
            ? searcher.search(keywordMatches.get(), request.window())
            : empty();
    TopDocs vectorTop = vector.map(VectorSearch.Result::ranked).orElse(empty());

    TopDocs ranked;
    if (request.hasKeywordPart() && request.hasVectorPart()) {
      ranked = TopDocsFusion.fuse(request.fusion(), keywordTop, vectorTop);
    } else {
      ranked = request.hasVectorPart() ? vectorTop : keywordTop;
    }

    Optional<Query> candidates = vector.map(VectorSearch.Result::candidates);
    Optional<float[]> sidewaysTarget = target;
    MatchedSet.Counts counts =
        MatchedSet.count(
            searcher,
            request,
            facets,
            queries,
            candidates,
            () ->
                sidewaysTarget.isEmpty()
                    ? Optional.empty()
                    : Optional.of(
                        VectorSearch.candidates(
                            searcher, request, sidewaysTarget.get(), queries.otherFilter())));

    List<Hit> hits =
        HitPage.of(
            searcher,
            request,
            ranked,
            keywordTop,
            vector.map(VectorSearch.Result::approximate).orElse(empty()),
            vector.filter(VectorSearch.Result::reranked).map(VectorSearch.Result::ranked));
    return new SearchResults(hits, counts.total(), counts.classes(), ranked.scoreDocs.length);
  }

  /**
   * The request's vector query for a host to compose: the filtered candidates, wrapped in the exact
   * re-rank if the request re-ranks.
   */
  Query vectorQuery(IndexSearcher searcher, SearchRequest request) throws IOException {
    RequestQueries queries = RequestQueries.of(request, analyzer);
    float[] target = mixer.mix(request.vectorParts(), searcher, request.vectorField());
    Query candidates = VectorSearch.candidates(searcher, request, target, queries.filter());
    return request.rerank() ? vectorSearch.rerankQuery(candidates, request, target) : candidates;
  }

  private static TopDocs empty() {
    return new TopDocs(new TotalHits(0, TotalHits.Relation.EQUAL_TO), new ScoreDoc[0]);
  }
}
