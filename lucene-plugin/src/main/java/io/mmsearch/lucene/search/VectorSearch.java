package io.mmsearch.lucene.search;

import io.mmsearch.lucene.recall.ReaderCalibrations;
import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.semantics.SearchDepth;
import io.mmsearch.semantics.recall.CandidatePlanner;
import io.mmsearch.semantics.recall.LayoutCalibrations;
import io.mmsearch.semantics.recall.QueryKind;
import io.mmsearch.semantics.recall.RecallEstimate;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;

/**
 * The vector part of a request on one searcher, for one target field: the candidate count ({@link
 * CandidatePlanner}, with the reader's recall calibration of the field), the filtered HNSW search,
 * run once into a fixed candidate query, and the exact re-rank of those candidates. Stateless apart
 * from the exact scorer and the calibrations it uses (not owned).
 */
final class VectorSearch {
  private final ExactScorer exactScorer;
  private final ReaderCalibrations calibrations;

  VectorSearch(ExactScorer exactScorer, ReaderCalibrations calibrations) {
    this.exactScorer = exactScorer;
    this.calibrations = calibrations;
  }

  /**
   * What the vector part found in one target field.
   *
   * @param field the target field
   * @param candidates the kNN query rewritten once: the planned number of nearest neighbours that
   *     pass the filter, as a fixed query
   * @param approximate the candidates by their HNSW score
   * @param ranked the target's list: the best {@link SearchDepth#window()} candidates, by exact
   *     score if {@code reranked}, else by HNSW score
   * @param reranked whether {@code ranked} holds exact scores
   * @param recall how many candidates were fetched and the recall to expect (null: not searched)
   */
  record Result(
      String field,
      Query candidates,
      TopDocs approximate,
      TopDocs ranked,
      boolean reranked,
      RecallEstimate recall) {}

  /**
   * Searches one target field to the request's retrieval depth ({@link
   * SearchRequest#retrievalDepth()}).
   */
  Result search(
      IndexSearcher searcher,
      SearchRequest request,
      String field,
      float[] target,
      Optional<Query> filter)
      throws IOException {
    SearchDepth depth = request.retrievalDepth();
    RecallEstimate plan = plan(searcher, request, field, filter);
    Query candidates = candidates(searcher, field, plan.candidates(), target, filter);
    TopDocs approximate = searcher.search(candidates, plan.candidates());
    if (request.rerank() && approximate.scoreDocs.length > 0) {
      Query exact = exactScorer.rerankQuery(candidates, field, target, depth.window());
      return new Result(
          field, candidates, approximate, searcher.search(exact, depth.window()), true, plan);
    }
    return new Result(
        field, candidates, approximate, head(approximate, depth.window()), false, plan);
  }

  /**
   * The candidate count of a request for one field on this searcher's reader, from its retrieval
   * depth, its kinds of query (text parts are text queries; images, raw vectors and documents to
   * find more like are image-like; negative examples do not count), the share of the documents its
   * filter accepts, and the reader's calibration of the field.
   */
  RecallEstimate plan(
      IndexSearcher searcher, SearchRequest request, String field, Optional<Query> filter)
      throws IOException {
    Set<QueryKind> kinds = EnumSet.noneOf(QueryKind.class);
    for (VectorPart part : request.vectorParts()) {
      if (!(part instanceof VectorPart.Negative)) { // what to move away from decides no kind
        kinds.add(part instanceof VectorPart.Text ? QueryKind.TEXT : QueryKind.IMAGE);
      }
    }
    if (kinds.isEmpty()) {
      kinds.add(QueryKind.IMAGE);
    }
    int live = searcher.getIndexReader().numDocs();
    double selectivity =
        filter.isEmpty() || live == 0
            ? 1.0
            : Math.min(1.0, searcher.count(filter.get()) / (double) live);
    Optional<LayoutCalibrations.Current> calibration =
        calibrations.forReader(searcher.getIndexReader(), field);
    return CandidatePlanner.plan(
        request.retrievalDepth(),
        kinds,
        selectivity,
        request.rerank(),
        calibration.map(LayoutCalibrations.Current::calibration),
        calibration.map(LayoutCalibrations.Current::current).orElse(false));
  }

  /**
   * The HNSW candidates as a fixed query: the kNN query fetching {@code count} neighbours with the
   * filter inside, rewritten once.
   */
  static Query candidates(
      IndexSearcher searcher, String field, int count, float[] target, Optional<Query> filter)
      throws IOException {
    return searcher.rewrite(new KnnFloatVectorQuery(field, target, count, filter.orElse(null)));
  }

  /** The exact scorer's re-rank of {@code candidates}, keeping the best window. */
  Query rerankQuery(Query candidates, String field, SearchDepth depth, float[] target)
      throws IOException {
    return exactScorer.rerankQuery(candidates, field, target, depth.window());
  }

  private static TopDocs head(TopDocs list, int n) {
    return list.scoreDocs.length <= n
        ? list
        : new TopDocs(list.totalHits, Arrays.copyOf(list.scoreDocs, n));
  }
}
