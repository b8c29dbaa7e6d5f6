package io.mmsearch.tools.eval;

import java.util.List;
import java.util.Set;

/**
 * The ranking figures of one query, with binary relevance. Immutable.
 *
 * <ul>
 *   <li>Recall@k: the fraction of the relevant documents found in the first k results (with one
 *       relevant document, whether it is there).
 *   <li>Reciprocal rank: 1 / the rank of the first relevant result, 0 if none was returned.
 *   <li>nDCG@10: DCG of the first 10 results (gain 1 / log2(rank + 1) per relevant result) divided
 *       by the DCG of an ideal ranking.
 * </ul>
 */
public record QueryScores(
    double recallAt1, double recallAt5, double recallAt10, double reciprocalRank, double ndcgAt10) {

  /**
   * Scores a ranked list.
   *
   * @param ranked document ids, best first (as many as the search returned)
   * @param relevant the relevant ids, not empty
   */
  public static QueryScores of(List<String> ranked, Set<String> relevant) {
    if (relevant.isEmpty()) {
      throw new IllegalArgumentException("no relevant ids to score against");
    }
    int foundAt1 = 0;
    int foundAt5 = 0;
    int foundAt10 = 0;
    double reciprocalRank = 0;
    double dcg = 0;
    for (int i = 0; i < ranked.size(); i++) {
      if (!relevant.contains(ranked.get(i))) {
        continue;
      }
      int rank = i + 1;
      if (reciprocalRank == 0) {
        reciprocalRank = 1.0 / rank;
      }
      if (rank <= 1) {
        foundAt1++;
      }
      if (rank <= 5) {
        foundAt5++;
      }
      if (rank <= 10) {
        foundAt10++;
        dcg += gain(rank);
      }
    }
    double ideal = 0;
    for (int rank = 1; rank <= Math.min(10, relevant.size()); rank++) {
      ideal += gain(rank);
    }
    double n = relevant.size();
    return new QueryScores(foundAt1 / n, foundAt5 / n, foundAt10 / n, reciprocalRank, dcg / ideal);
  }

  private static double gain(int rank) {
    return 1.0 / (Math.log(rank + 1) / Math.log(2));
  }
}
