package io.mmsearch.lucene.search;

import java.util.Map;

/**
 * Why a hit scored what it did. Ranks are 1-based within their list; an absent part has rank 0 and
 * score NaN.
 *
 * <p>Vector scores are in Lucene's dot-product units, {@code (1 + cos) / 2} in [0, 1], for both the
 * approximate (HNSW, possibly on quantised vectors) and the exact (full-precision) score, so the
 * two compare directly.
 *
 * @param keywordScore BM25 score of the keyword part
 * @param keywordRank rank in the keyword list
 * @param approximateVectorScore score the HNSW search gave
 * @param approximateVectorRank rank in the HNSW result list
 * @param exactVectorScore full-precision score from the exact re-rank (NaN if re-rank was off)
 * @param exactVectorRank rank after the exact re-rank (0 if re-rank was off)
 * @param vectorScore the score in the vector list that fusion saw: the single target's (exact, or
 *     approximate without re-rank), or the joined score of several targets; NaN if absent
 * @param vectorRank rank in that list (0 if absent)
 * @param targetScores with several targets, the hit's similarity score in each target field that
 *     has a vector for it (field to score, in target order); empty with one target
 * @param fusedScore the final score the hit was ranked by
 */
public record HitExplanation(
    float keywordScore,
    int keywordRank,
    float approximateVectorScore,
    int approximateVectorRank,
    float exactVectorScore,
    int exactVectorRank,
    float vectorScore,
    int vectorRank,
    Map<String, Float> targetScores,
    float fusedScore) {

  public HitExplanation {
    targetScores =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(targetScores));
  }

  /** True if the hit came from the keyword list. */
  public boolean matchedKeywords() {
    return keywordRank > 0;
  }

  /** True if the hit came from the vector list. */
  public boolean matchedVector() {
    return vectorRank > 0 || approximateVectorRank > 0;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (matchedKeywords()) {
      sb.append("bm25=").append(keywordScore).append(" (#").append(keywordRank).append(") ");
    }
    if (matchedVector()) {
      sb.append("knn=")
          .append(approximateVectorScore)
          .append(" (#")
          .append(approximateVectorRank)
          .append(") ");
      if (exactVectorRank > 0) {
        sb.append("exact=")
            .append(exactVectorScore)
            .append(" (#")
            .append(exactVectorRank)
            .append(") ");
      }
      if (!targetScores.isEmpty()) {
        targetScores.forEach(
            (field, score) -> sb.append(field).append('=').append(score).append(' '));
        sb.append("vector=").append(vectorScore).append(" (#").append(vectorRank).append(") ");
      }
    }
    return sb.append("fused=").append(fusedScore).toString();
  }
}
