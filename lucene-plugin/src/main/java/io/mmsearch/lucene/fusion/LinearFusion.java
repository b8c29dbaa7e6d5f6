package io.mmsearch.lucene.fusion;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Linear fusion of min-max normalised scores: in each list, {@code norm(s) = (s - min) / (max -
 * min)} over that list's scores (1 for every entry when {@code max == min}); then {@code score(d) =
 * Σ_i w_i · norm_i(d)} over the lists containing {@code d}.
 */
public final class LinearFusion implements ScoreFusion {
  private final float[] weights;

  /**
   * @param weights one non-negative weight per input list
   */
  public LinearFusion(float... weights) {
    this.weights = checkWeights(weights);
  }

  @Override
  public RankedList fuse(List<RankedList> lists) {
    checkArity(lists, weights);
    Map<Integer, Float> fused = new HashMap<>();
    for (int l = 0; l < lists.size(); l++) {
      RankedList list = lists.get(l);
      if (list.size() == 0) {
        continue;
      }
      float max = list.score(0);
      float min = list.score(list.size() - 1);
      for (int i = 0; i < list.size(); i++) {
        float norm = max == min ? 1f : (list.score(i) - min) / (max - min);
        fused.merge(list.doc(i), weights[l] * norm, Float::sum);
      }
    }
    return toRankedList(fused);
  }

  static float[] checkWeights(float[] weights) {
    if (weights.length == 0) {
      throw new IllegalArgumentException("at least one weight is needed");
    }
    for (float w : weights) {
      if (!(w >= 0) || Float.isInfinite(w)) {
        throw new IllegalArgumentException("weights must be finite and >= 0, got " + w);
      }
    }
    return weights.clone();
  }

  static void checkArity(List<RankedList> lists, float[] weights) {
    if (lists.size() != weights.length) {
      throw new IllegalArgumentException(
          lists.size() + " lists but " + weights.length + " weights");
    }
  }

  static RankedList toRankedList(Map<Integer, Float> fused) {
    int[] docs = new int[fused.size()];
    float[] scores = new float[fused.size()];
    int i = 0;
    for (Map.Entry<Integer, Float> e : fused.entrySet()) {
      docs[i] = e.getKey();
      scores[i] = e.getValue();
      i++;
    }
    return RankedList.of(docs, scores);
  }
}
