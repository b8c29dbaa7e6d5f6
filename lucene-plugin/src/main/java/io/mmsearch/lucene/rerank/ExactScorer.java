package io.mmsearch.lucene.rerank;

/**
 * Exact inner products of one query vector against a block of candidate vectors: the primitive
 * behind exact re-ranking.
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

  /** Short name for reports, e.g. {@code "faiss"} or {@code "java"}. */
  String name();

  @Override
  default void close() {}
}
