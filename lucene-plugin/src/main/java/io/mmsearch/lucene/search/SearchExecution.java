package io.mmsearch.lucene.search;

import io.mmsearch.lucene.fusion.TopDocsFusion;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.semantics.Diversity;
import io.mmsearch.semantics.Ranked;
import io.mmsearch.semantics.RankingStages;
import io.mmsearch.semantics.SearchDepth;
import io.mmsearch.semantics.VectorTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.util.BytesRef;

/**
 * The plan of one request on one point-in-time searcher, step by step:
 *
 * <ol>
 *   <li>the vector parts mixed into one unit target ({@link QueryVectorMixer});
 *   <li>for each vector target field, the filtered kNN candidates, run once, and their exact
 *       re-rank ({@link VectorSearch}), read to the retrieval depth;
 *   <li>the filtered keyword matches by BM25, read to the same depth;
 *   <li>the shared {@link RankingStages}: the targets joined into one vector list, each list cut by
 *       its cut-off, the lists fused, near-duplicates collapsed and MMR, over the lists as {@link
 *       Ranked} doc ids ({@link TopDocsFusion#ranked});
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
    RankingStages stages = request.ranking();
    SearchDepth depth = request.retrievalDepth();

    Optional<float[]> target = Optional.empty();
    List<VectorSearch.Result> targets = new ArrayList<>();
    if (request.hasVectorPart()) {
      target = Optional.of(mix(searcher, request));
      for (VectorTarget t : request.targets()) {
        targets.add(
            t.weight() > 0 || request.targets().size() == 1
                ? vectorSearch.search(searcher, request, t.field(), target.get(), queries.filter())
                : new VectorSearch.Result(t.field(), null, empty(), empty(), false));
      }
    }
    Optional<Query> keywordMatches = queries.keywordMatches();
    TopDocs keywordTop =
        keywordMatches.isPresent()
            ? searcher.search(keywordMatches.get(), depth.window())
            : empty();

    List<List<Ranked<Integer>>> targetLists = new ArrayList<>(targets.size());
    Set<Integer> found = new HashSet<>();
    for (VectorSearch.Result r : targets) {
      targetLists.add(TopDocsFusion.ranked(r.ranked()));
      for (ScoreDoc sd : r.ranked().scoreDocs) {
        found.add(sd.doc);
      }
    }
    TargetScoresTable targetScores =
        stages.joinsTargets()
            ? TargetScoresTable.read(
                searcher.getIndexReader(), stages.targets(), found, target.orElseThrow())
            : null;
    for (ScoreDoc sd : keywordTop.scoreDocs) {
      found.add(sd.doc);
    }
    Diversity.HitFeatures<Integer> features =
        stages.diversity().isActive()
            ? HitFeatures.read(searcher, stages.diversity(), found)
            : null;
    RankingStages.Outcome<Integer> outcome =
        stages.run(
            request.hasKeywordPart() ? TopDocsFusion.ranked(keywordTop) : null,
            targetLists,
            targetScores,
            features,
            request.window());

    MatchedSet.Counts counts = count(searcher, request, facets, queries, target, targets, outcome);
    List<Hit> hits =
        HitPage.of(
            searcher,
            request,
            outcome.ranking(),
            new HitPage.Lists(keywordTop, targets, outcome.vector(), targetScores));
    return new SearchResults(hits, counts.total(), counts.classes(), outcome.ranking().size());
  }

  private float[] mix(IndexSearcher searcher, SearchRequest request) throws IOException {
    // Examples are documents: their image vector, which every document has.
    return mixer.mix(request.vectorParts(), searcher, ImageSchema.IMAGE_VECTOR);
  }

  /**
   * The matched set: the keyword matches and the kNN candidates of every target, as documented; a
   * list with an active cut-off contributes the documents that survived it instead, and the class
   * counts are then taken over that set as it is (no sideways counts for the cut lists).
   */
  private MatchedSet.Counts count(
      IndexSearcher searcher,
      SearchRequest request,
      SortedSetDocValuesReaderState facets,
      RequestQueries queries,
      Optional<float[]> target,
      List<VectorSearch.Result> targets,
      RankingStages.Outcome<Integer> outcome)
      throws IOException {
    RankingStages stages = request.ranking();
    Optional<Query> candidates = RequestQueries.anyOf(candidateQueries(targets));
    boolean keywordCut = request.hasKeywordPart() && stages.keywordCutoff().isActive();
    boolean vectorCut = request.hasVectorPart() && stages.vectorCutoff().isActive();
    if (keywordCut || vectorCut) {
      Optional<Query> matched =
          RequestQueries.anyOf(
              keywordCut
                  ? Optional.of(idsQuery(searcher, outcome.keyword()))
                  : queries.keywordMatches(),
              vectorCut ? Optional.of(idsQuery(searcher, outcome.vector())) : candidates);
      return MatchedSet.countWithin(searcher, request, facets, matched);
    }
    SearchDepth depth = request.retrievalDepth();
    return MatchedSet.count(
        searcher,
        request,
        facets,
        queries,
        candidates,
        () -> {
          if (target.isEmpty()) {
            return Optional.empty();
          }
          List<Optional<Query>> unfiltered = new ArrayList<>();
          for (VectorSearch.Result r : targets) {
            if (r.candidates() != null) {
              unfiltered.add(
                  Optional.of(
                      VectorSearch.candidates(
                          searcher, r.field(), depth, target.get(), queries.otherFilter())));
            }
          }
          return RequestQueries.anyOf(unfiltered);
        });
  }

  private static List<Optional<Query>> candidateQueries(List<VectorSearch.Result> targets) {
    List<Optional<Query>> out = new ArrayList<>();
    for (VectorSearch.Result r : targets) {
      if (r.candidates() != null) {
        out.add(Optional.of(r.candidates()));
      }
    }
    return out;
  }

  /** The documents of {@code list}, by their unique ids. */
  private static Query idsQuery(IndexSearcher searcher, List<Ranked<Integer>> list)
      throws IOException {
    List<BytesRef> ids = new ArrayList<>(list.size());
    for (Ranked<Integer> r : list) {
      ids.add(
          new BytesRef(
              searcher
                  .storedFields()
                  .document(r.key(), Set.of(ImageSchema.ID))
                  .get(ImageSchema.ID)));
    }
    return new TermInSetQuery(ImageSchema.ID, ids);
  }

  /**
   * The request's vector query for a host to compose: the filtered candidates of its one target,
   * wrapped in the exact re-rank if the request re-ranks.
   *
   * @throws InvalidRequestException if the request has several targets (their join is not one
   *     Lucene query)
   */
  Query vectorQuery(IndexSearcher searcher, SearchRequest request) throws IOException {
    if (request.targets().size() != 1) {
      throw new InvalidRequestException(
          "a composable vector query has one target field; this request has "
              + request.targets().size()
              + " (run it with search() to join them)");
    }
    RequestQueries queries = RequestQueries.of(request, analyzer);
    float[] target = mix(searcher, request);
    String field = request.targets().get(0).field();
    SearchDepth depth = request.retrievalDepth();
    Query candidates = VectorSearch.candidates(searcher, field, depth, target, queries.filter());
    return request.rerank()
        ? vectorSearch.rerankQuery(candidates, field, depth, target)
        : candidates;
  }

  private static TopDocs empty() {
    return new TopDocs(new TotalHits(0, TotalHits.Relation.EQUAL_TO), new ScoreDoc[0]);
  }

  /** The image vectors and content hashes the diversity stages ask for, read up front. */
  private record HitFeatures(Map<Integer, float[]> vectors, IndexSearcher searcher)
      implements Diversity.HitFeatures<Integer> {
    static HitFeatures read(IndexSearcher searcher, Diversity diversity, Set<Integer> docs)
        throws IOException {
      return new HitFeatures(
          diversity.needsVectors()
              ? DocVectors.read(searcher.getIndexReader(), ImageSchema.IMAGE_VECTOR, docs)
              : Map.of(),
          searcher);
    }

    @Override
    public float[] imageVector(Integer doc) {
      return vectors.get(doc);
    }

    @Override
    public String contentHash(Integer doc) {
      try {
        return searcher
            .storedFields()
            .document(doc, Set.of(ImageSchema.CONTENT_HASH))
            .get(ImageSchema.CONTENT_HASH);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
