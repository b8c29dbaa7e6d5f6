package io.mmsearch.lucene.search;

import io.mmsearch.lucene.fusion.LinearFusion;
import io.mmsearch.lucene.fusion.ReciprocalRankFusion;
import io.mmsearch.lucene.fusion.ScoreFusion;

/**
 * How a hybrid query merges its keyword (BM25) list and its vector list. Immutable.
 *
 * <p>Fusion only happens when a query has both a keyword part and a vector part; a single-list
 * query is ranked by that list's own scores.
 */
public final class Fusion {

  /** The fusion method. */
  public enum Method {
    /** Reciprocal rank fusion: {@code Σ w / (rankConstant + rank)}. */
    RRF,
    /** Weighted sum of per-list min-max normalised scores. */
    LINEAR
  }

  private final Method method;
  private final int rankConstant;
  private final float keywordWeight;
  private final float vectorWeight;

  private Fusion(Method method, int rankConstant, float keywordWeight, float vectorWeight) {
    this.method = method;
    this.rankConstant = rankConstant;
    this.keywordWeight = keywordWeight;
    this.vectorWeight = vectorWeight;
    toScoreFusion(); // validates
  }

  /** RRF with rank constant 60 and equal weights: the default. */
  public static Fusion rrf() {
    return rrf(ReciprocalRankFusion.DEFAULT_RANK_CONSTANT);
  }

  /** RRF with the given rank constant and equal weights. */
  public static Fusion rrf(int rankConstant) {
    return new Fusion(Method.RRF, rankConstant, 1f, 1f);
  }

  /** Weighted RRF. */
  public static Fusion weightedRrf(int rankConstant, float keywordWeight, float vectorWeight) {
    return new Fusion(Method.RRF, rankConstant, keywordWeight, vectorWeight);
  }

  /** Linear fusion of min-max normalised scores with these weights. */
  public static Fusion linear(float keywordWeight, float vectorWeight) {
    return new Fusion(Method.LINEAR, 0, keywordWeight, vectorWeight);
  }

  public Method method() {
    return method;
  }

  /** The RRF rank constant (0 for linear fusion). */
  public int rankConstant() {
    return rankConstant;
  }

  public float keywordWeight() {
    return keywordWeight;
  }

  public float vectorWeight() {
    return vectorWeight;
  }

  /** The arithmetic, over lists ordered (keyword, vector). */
  public ScoreFusion toScoreFusion() {
    return switch (method) {
      case RRF -> new ReciprocalRankFusion(rankConstant, keywordWeight, vectorWeight);
      case LINEAR -> new LinearFusion(keywordWeight, vectorWeight);
    };
  }

  @Override
  public String toString() {
    return method == Method.RRF
        ? "rrf(k=" + rankConstant + ", w=" + keywordWeight + "/" + vectorWeight + ")"
        : "linear(w=" + keywordWeight + "/" + vectorWeight + ")";
  }
}
