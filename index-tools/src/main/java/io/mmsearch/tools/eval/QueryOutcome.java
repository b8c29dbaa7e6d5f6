package io.mmsearch.tools.eval;

/**
 * How one query fared in one mode: the per-query figures an {@link EvalLine} averages, kept so that
 * two models can be compared query by query. Immutable.
 *
 * @param task the query's task
 * @param mode how the index was searched
 * @param querySet the query file's name
 * @param query the query
 * @param scores its figures
 */
public record QueryOutcome(
    EvalTask task, EvalMode mode, String querySet, EvalQuery query, QueryScores scores) {

  /**
   * The rank of the first relevant result (1 = first), or 0 if none was among the results read
   * ({@code --depth}).
   */
  public int firstRelevantRank() {
    return scores.reciprocalRank() == 0 ? 0 : (int) Math.round(1 / scores.reciprocalRank());
  }
}
