package io.mmsearch.lucene.fusion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;

/**
 * Linear fusion of min-max normalised scores, the counterpart of Lucene's {@link TopDocs#rrf} for
 * score-based fusion: in each list, {@code norm(s) = (s - min) / (max - min)} over that list's
 * scores (1 for every entry when {@code max == min}); then {@code score(d) = Σ_i w_i · norm_i(d)}
 * over the lists that contain {@code d}, summed in double precision. The result holds every
 * document of every list, by fused score descending, then doc id ascending (as {@code TopDocs.rrf}
 * and {@code TopDocs.merge} break ties). Stateless.
 */
public final class LinearFusion {
  private LinearFusion() {}

  /**
   * Fuses ranked lists of the same searcher.
   *
   * @param lists each list's hits, best first (scores need not be in any range)
   * @param weights one finite, non-negative weight per list
   * @return all documents of all lists in fused order; total hits is the number of distinct
   *     documents
   * @throws IllegalArgumentException if the numbers of lists and weights differ or a weight is
   *     negative or not finite
   */
  public static TopDocs fuse(TopDocs[] lists, float[] weights) {
    if (lists.length != weights.length) {
      throw new IllegalArgumentException(
          lists.length + " lists but " + weights.length + " weights");
    }
    for (float w : weights) {
      if (!(w >= 0) || Float.isInfinite(w)) {
        throw new IllegalArgumentException("weights must be finite and >= 0, got " + w);
      }
    }
    Map<Integer, Double> fused = new HashMap<>();
    for (int l = 0; l < lists.length; l++) {
      ScoreDoc[] hits = lists[l].scoreDocs;
      if (hits.length == 0) {
        continue;
      }
      float max = Float.NEGATIVE_INFINITY;
      float min = Float.POSITIVE_INFINITY;
      for (ScoreDoc hit : hits) {
        max = Math.max(max, hit.score);
        min = Math.min(min, hit.score);
      }
      for (ScoreDoc hit : hits) {
        double norm = max == min ? 1.0 : ((double) hit.score - min) / ((double) max - min);
        fused.merge(hit.doc, weights[l] * norm, Double::sum);
      }
    }
    List<ScoreDoc> out = new ArrayList<>(fused.size());
    fused.forEach((doc, score) -> out.add(new ScoreDoc(doc, score.floatValue())));
    out.sort(
        (a, b) ->
            a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
    return new TopDocs(
        new TotalHits(out.size(), TotalHits.Relation.EQUAL_TO), out.toArray(ScoreDoc[]::new));
  }
}
