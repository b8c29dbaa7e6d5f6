package io.mmsearch.lucene.search;

import io.mmsearch.lucene.recall.ReaderCalibrations;
import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.semantics.recall.CandidatePlanner;
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
 * The vector part of a request on one searcher: the candidate count ({@link CandidatePlanner}, with
 * the reader's recall calibration), the filtered HNSW search, run once into a fixed candidate
 * query, and the exact re-rank of those candidates. Stateless apart from the exact scorer and the
 * calibrations it uses (not owned).
 */
final class VectorSearch {
  private final ExactScorer exactScorer;
  private final ReaderCalibrations calibrations;

  VectorSearch(ExactScorer exactScorer, ReaderCalibrations calibrations) {
    this.exactScorer = exactScorer;
    this.calibrations = calibrations;
  }

  /**
   * What the vector part found.
   *
   * @param candidates the kNN query rewritten once: the {@link SearchRequest#candidateCount()}
   *     nearest neighbours that pass the filter, as a fixed query
   * @param approximate the candidates by their HNSW score
   * @param ranked the vector list: the best {@link SearchRequest#window()} candidates, by exact
   *     score if {@code reranked}, else by HNSW score
   * @param reranked whether {@code ranked} holds exact scores
   * @param recall how many candidates were fetched and the recall to expect
   */
  record Result(
      Query candidates,
      TopDocs approximate,
      TopDocs ranked,
      boolean reranked,
      RecallEstimate recall) {}

  Result search(
      IndexSearcher searcher, SearchRequest request, float[] target, Optional<Query> filter)
      throws IOException {
    RecallEstimate plan = plan(searcher, request, filter);
    Query candidates = candidates(searcher, request, target, filter, plan.candidates());
    TopDocs approximate = searcher.search(candidates, plan.candidates());
    if (request.rerank() && approximate.scoreDocs.length > 0) {
      Query exact = rerankQuery(candidates, request, target);
      return new Result(
          candidates, approximate, searcher.search(exact, request.window()), true, plan);
    }
    return new Result(candidates, approximate, head(approximate, request.window()), false, plan);
  }

  /**
   * The candidate count of a request on this searcher's reader: its kinds of query (text parts are
   * text queries; images, raw vectors and documents to find more like are image-like), the share of
   * the documents its filter accepts, and the reader's calibration.
   */
  RecallEstimate plan(IndexSearcher searcher, SearchRequest request, Optional<Query> filter)
      throws IOException {
    Set<QueryKind> kinds = EnumSet.noneOf(QueryKind.class);
    for (VectorPart part : request.vectorParts()) {
      kinds.add(part instanceof VectorPart.Text ? QueryKind.TEXT : QueryKind.IMAGE);
    }
    int live = searcher.getIndexReader().numDocs();
    double selectivity =
        filter.isEmpty() || live == 0
            ? 1.0
            : Math.min(1.0, searcher.count(filter.get()) / (double) live);
    Optional<ReaderCalibrations.Current> calibration =
        calibrations.forReader(searcher.getIndexReader(), request.vectorField());
    return CandidatePlanner.plan(
        request.depth(),
        kinds,
        selectivity,
        request.rerank(),
        calibration.map(ReaderCalibrations.Current::calibration),
        calibration.map(ReaderCalibrations.Current::current).orElse(false));
  }

  /**
   * The HNSW candidates as a fixed query: the kNN query fetching {@code count} neighbours with the
   * filter inside, rewritten once.
   */
  static Query candidates(
      IndexSearcher searcher,
      SearchRequest request,
      float[] target,
      Optional<Query> filter,
      int count)
      throws IOException {
    return searcher.rewrite(
        new KnnFloatVectorQuery(request.vectorField(), target, count, filter.orElse(null)));
  }

  /** The exact scorer's re-rank of {@code candidates}, keeping the best window. */
  Query rerankQuery(Query candidates, SearchRequest request, float[] target) throws IOException {
    return exactScorer.rerankQuery(candidates, request.vectorField(), target, request.window());
  }

  private static TopDocs head(TopDocs list, int n) {
    return list.scoreDocs.length <= n
        ? list
        : new TopDocs(list.totalHits, Arrays.copyOf(list.scoreDocs, n));
  }
}
