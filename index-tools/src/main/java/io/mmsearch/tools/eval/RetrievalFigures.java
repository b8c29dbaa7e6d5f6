package io.mmsearch.tools.eval;

import java.util.Collection;

/**
 * The means of {@link QueryScores} over a query set. Immutable.
 *
 * @param queries how many queries were averaged
 */
public record RetrievalFigures(
    int queries,
    double recallAt1,
    double recallAt5,
    double recallAt10,
    double mrr,
    double ndcgAt10) {

  /** Averages the scores of every query; an empty collection is an error, never zeroes. */
  public static RetrievalFigures mean(Collection<QueryScores> scores) {
    if (scores.isEmpty()) {
      throw new EvalInputException("no query was scored, so there is no mean to report");
    }
    double r1 = 0, r5 = 0, r10 = 0, rr = 0, ndcg = 0;
    for (QueryScores s : scores) {
      r1 += s.recallAt1();
      r5 += s.recallAt5();
      r10 += s.recallAt10();
      rr += s.reciprocalRank();
      ndcg += s.ndcgAt10();
    }
    int n = scores.size();
    return new RetrievalFigures(n, r1 / n, r5 / n, r10 / n, rr / n, ndcg / n);
  }
}
