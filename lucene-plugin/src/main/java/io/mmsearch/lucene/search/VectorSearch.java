package io.mmsearch.lucene.search;

import io.mmsearch.lucene.rerank.ExactScorer;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;

/**
 * The vector part of a request on one searcher: the filtered HNSW search, run once into a fixed
 * candidate query, and the exact re-rank of those candidates. Stateless apart from the exact scorer
 * it uses (not owned).
 */
final class VectorSearch {
  private final ExactScorer exactScorer;

  VectorSearch(ExactScorer exactScorer) {
    this.exactScorer = exactScorer;
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
   */
  record Result(Query candidates, TopDocs approximate, TopDocs ranked, boolean reranked) {}

  Result search(
      IndexSearcher searcher, SearchRequest request, float[] target, Optional<Query> filter)
      throws IOException {
    Query candidates = candidates(searcher, request, target, filter);
    TopDocs approximate = searcher.search(candidates, request.candidateCount());
    if (request.rerank() && approximate.scoreDocs.length > 0) {
      Query exact = rerankQuery(candidates, request, target);
      return new Result(candidates, approximate, searcher.search(exact, request.window()), true);
    }
    return new Result(candidates, approximate, head(approximate, request.window()), false);
  }

  /** The HNSW candidates as a fixed query: the kNN query with the filter inside, rewritten once. */
  static Query candidates(
      IndexSearcher searcher, SearchRequest request, float[] target, Optional<Query> filter)
      throws IOException {
    return searcher.rewrite(
        new KnnFloatVectorQuery(
            request.vectorField(), target, request.candidateCount(), filter.orElse(null)));
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
