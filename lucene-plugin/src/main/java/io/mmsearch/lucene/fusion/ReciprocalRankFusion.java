package io.mmsearch.lucene.fusion;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): {@code score(d) = Σ_i w_i /
 * (rankConstant + rank_i(d))}, ranks 1-based, summed over the lists that contain {@code d}. Scores
 * of the inputs are ignored; only ranks matter, which makes BM25 and cosine lists comparable.
 */
public final class ReciprocalRankFusion implements ScoreFusion {

  /** The rank constant of the original paper and of Elasticsearch/OpenSearch. */
  public static final int DEFAULT_RANK_CONSTANT = 60;

  private final int rankConstant;
  private final float[] weights;

  /**
   * @param rankConstant k in the formula, at least 1
   * @param weights one non-negative weight per input list
   */
  public ReciprocalRankFusion(int rankConstant, float... weights) {
    if (rankConstant < 1) {
      throw new IllegalArgumentException("rank constant must be >= 1, got " + rankConstant);
    }
    this.rankConstant = rankConstant;
    this.weights = LinearFusion.checkWeights(weights);
  }

  public int rankConstant() {
    return rankConstant;
  }

  @Override
  public RankedList fuse(List<RankedList> lists) {
    LinearFusion.checkArity(lists, weights);
    Map<Integer, Float> fused = new HashMap<>();
    for (int l = 0; l < lists.size(); l++) {
      RankedList list = lists.get(l);
      for (int i = 0; i < list.size(); i++) {
        float contribution = weights[l] / (rankConstant + i + 1);
        fused.merge(list.doc(i), contribution, Float::sum);
      }
    }
    return LinearFusion.toRankedList(fused);
  }
}
