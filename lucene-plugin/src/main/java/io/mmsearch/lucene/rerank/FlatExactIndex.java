package io.mmsearch.lucene.rerank;

/**
 * Exhaustive (exact) maximum-inner-product search over a fixed {@link VectorBlock}: the ground
 * truth for recall measurements and the baseline of the ANN benchmark. Hits are ranked by inner
 * product descending, then doc id ascending, identically by every implementation.
 *
 * <p>Implementations are immutable after construction and {@link #search} is thread-safe. {@link
 * #close()} releases native memory (FAISS); it must not run concurrently with a search, and the
 * index may not be used after it.
 */
public interface FlatExactIndex extends AutoCloseable {

  /** A pure-Java scan with Lucene's {@code VectorUtil.dotProduct}, holding a heap copy. */
  static FlatExactIndex java(VectorBlock vectors) {
    return new JavaFlatIndex(vectors);
  }

  /** Floats per vector. */
  int dimension();

  /** Number of indexed vectors. */
  int size();

  /** {@code "faiss"} or {@code "java"}. */
  String name();

  /**
   * The {@code k} exact best hits of each query.
   *
   * @param queries vectors of {@link #dimension()} floats
   * @param k hits per query, {@code >= 1}; fewer are returned if the index is smaller
   * @throws IllegalArgumentException naming the first query with the wrong dimension
   */
  ExactHits search(float[][] queries, int k);

  @Override
  void close();

  /** Validates a batch before any native call. */
  static void checkQueries(float[][] queries, int k, int dimension) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
    for (int i = 0; i < queries.length; i++) {
      if (queries[i] == null || queries[i].length != dimension) {
        throw new IllegalArgumentException(
            "query "
                + i
                + " has "
                + (queries[i] == null ? "no vector" : queries[i].length + " dimensions")
                + ", the index has "
                + dimension);
      }
    }
  }
}
