package io.mmsearch.lucene.rerank;

import java.util.Arrays;

/**
 * The exact top hits of a batch of queries: for each query, doc ids and inner products ranked by
 * score descending, then doc id ascending. A query has {@code min(k, size)} hits. Immutable.
 */
public final class ExactHits {
  private final int[][] docIds;
  private final float[][] scores;

  /** Per query, the doc ids and scores of its hits, best first; the arrays are not copied. */
  public ExactHits(int[][] docIds, float[][] scores) {
    this.docIds = docIds;
    this.scores = scores;
  }

  /** Number of queries. */
  public int queryCount() {
    return docIds.length;
  }

  /** A copy of the ranked doc ids of query {@code query}. */
  public int[] docIds(int query) {
    return docIds[query].clone();
  }

  /** A copy of the inner products of query {@code query}, aligned with {@link #docIds(int)}. */
  public float[] scores(int query) {
    return scores[query].clone();
  }

  @Override
  public String toString() {
    return "ExactHits{queries="
        + docIds.length
        + ", first="
        + (docIds.length == 0 ? "[]" : Arrays.toString(docIds[0]))
        + "}";
  }
}
