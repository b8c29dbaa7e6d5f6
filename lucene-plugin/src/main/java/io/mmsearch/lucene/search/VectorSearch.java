package io.mmsearch.lucene.search;

import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.semantics.SearchDepth;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;

/**
 * The vector part of a request on one searcher, for one target field: the filtered HNSW search, run
 * once into a fixed candidate query, and the exact re-rank of those candidates. Stateless apart
 * from the exact scorer it uses (not owned).
 */
final class VectorSearch {
  private final ExactScorer exactScorer;

  VectorSearch(ExactScorer exactScorer) {
    this.exactScorer = exactScorer;
  }

  /**
   * What the vector part found in one target field.
   *
   * @param field the target field
   * @param candidates the kNN query rewritten once: the {@link SearchDepth#candidateCount()}
   *     nearest neighbours that pass the filter, as a fixed query
   * @param approximate the candidates by their HNSW score
   * @param ranked the target's list: the best {@link SearchDepth#window()} candidates, by exact
   *     score if {@code reranked}, else by HNSW score
   * @param reranked whether {@code ranked} holds exact scores
   */
  record Result(
      String field, Query candidates, TopDocs approximate, TopDocs ranked, boolean reranked) {}

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
    Query candidates = candidates(searcher, field, depth, target, filter);
    TopDocs approximate = searcher.search(candidates, depth.candidateCount());
    if (request.rerank() && approximate.scoreDocs.length > 0) {
      Query exact = exactScorer.rerankQuery(candidates, field, target, depth.window());
      return new Result(
          field, candidates, approximate, searcher.search(exact, depth.window()), true);
    }
    return new Result(field, candidates, approximate, head(approximate, depth.window()), false);
  }

  /** The HNSW candidates as a fixed query: the kNN query with the filter inside, rewritten once. */
  static Query candidates(
      IndexSearcher searcher,
      String field,
      SearchDepth depth,
      float[] target,
      Optional<Query> filter)
      throws IOException {
    return searcher.rewrite(
        new KnnFloatVectorQuery(field, target, depth.candidateCount(), filter.orElse(null)));
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
