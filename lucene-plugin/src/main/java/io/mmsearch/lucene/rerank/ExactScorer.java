package io.mmsearch.lucene.rerank;

import org.apache.lucene.search.Query;

/**
 * Exact inner products of one query vector against a block of candidate vectors: the primitive
 * behind exact re-ranking and flat exact search.
 *
 * <p>Every implementation computes the same thing: the built-in pure-Java one (Lucene's {@code
 * VectorUtil}) and those contributed through {@link ExactScoringProvider} (FAISS). Implementations
 * are thread-safe.
 */
public interface ExactScorer extends AutoCloseable {

  /**
   * Scores candidates exactly.
   *
   * @param query the query vector, length {@code dim}
   * @param candidates {@code count} vectors of {@code dim} floats each, contiguous row-major
   * @param count number of candidate vectors in {@code candidates}
   * @return {@code count} inner products, in candidate order
   */
  float[] innerProducts(float[] query, float[] candidates, int count);

  /**
   * A query that re-ranks the matches of {@code candidates} by the exact score of their
   * full-precision vectors in {@code field} against {@code target} and keeps the best {@code n},
   * scored in Lucene's {@code DOT_PRODUCT} units ({@code max((1 + dot) / 2, 0)}), ties by doc id.
   * The default is an {@link ExactRerankQuery} over this scorer's {@link #innerProducts}; an
   * implementation may return any query with that contract that is faster for it.
   *
   * @param n how many to keep, at least 1
   */
  default Query rerankQuery(Query candidates, String field, float[] target, int n) {
    return new ExactRerankQuery(candidates, field, target, n, this);
  }

  /** Short name for reports, e.g. {@code "faiss"} or {@code "java"}. */
  String name();

  @Override
  default void close() {}
}
