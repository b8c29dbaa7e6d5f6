package io.mmsearch.tools.eval;

import io.mmsearch.lucene.rerank.VectorBlock;
import io.mmsearch.lucene.search.Hit;
import io.mmsearch.lucene.search.MultimodalSearcher;
import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.semantics.Diversity;
import io.mmsearch.semantics.VectorScores;
import io.mmsearch.tools.search.RequestOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What the diversity stages do on an index whose concepts come in several images (the sample: each
 * emoji in two styles):
 *
 * <ul>
 *   <li>{@code collapse_threshold}: for every image, whether its nearest other image (by image
 *       vector) is an image of the same concept, and at which cosines; for a grid of cosines, the
 *       precision (nearest pairs above the cosine that share a concept) and recall (images whose
 *       twin is above it): what a collapse cosine would fold;
 *   <li>{@code diversity}: the first text queries of a set searched as the command line searches
 *       them by default, with each diversity setting: how many top 10s hold two images of one
 *       concept, the concepts per top 10, Recall@10, and the hits collapsed.
 * </ul>
 *
 * Stateless.
 */
public final class DiversityEvaluation {
  private DiversityEvaluation() {}

  public static List<FeatureReport> run(
      MultimodalSearcher searcher,
      IndexedImages index,
      QuerySet set,
      int queries,
      Function<String, String> conceptOf)
      throws IOException {
    List<FeatureReport> out = new ArrayList<>(collapseThresholds(index, conceptOf));
    Map<String, Diversity> settings = new LinkedHashMap<>();
    settings.put("off", Diversity.NONE);
    for (float c : new float[] {0.8f, 0.85f, 0.9f, 0.95f}) {
      settings.put("collapse " + c, Diversity.NONE.withCollapseHash(true).withCollapseCosine(c));
    }
    for (float l : new float[] {0.9f, 0.7f, 0.5f, 0.3f}) {
      settings.put("mmr " + l, Diversity.NONE.withMmr(l));
    }
    settings.put(
        "collapse " + Diversity.DEFAULT_COLLAPSE_COSINE + " + mmr " + Diversity.DEFAULT_MMR_LAMBDA,
        Diversity.NONE
            .withCollapseHash(true)
            .withCollapseCosine(Diversity.DEFAULT_COLLAPSE_COSINE)
            .withMmr(Diversity.DEFAULT_MMR_LAMBDA));
    List<EvalQuery> picked = new ArrayList<>();
    for (EvalQuery q : set.queries()) {
      if (q.text() != null && picked.size() < queries) {
        picked.add(q);
      }
    }
    for (Map.Entry<String, Diversity> s : settings.entrySet()) {
      int withTwins = 0;
      double concepts = 0;
      double recall = 0;
      long collapsed = 0;
      for (EvalQuery q : picked) {
        SearchRequest.Builder r =
            RequestOptions.defaultTextRequest(q.text())
                .diversity(s.getValue())
                .k(10)
                .size(10)
                .facets(false);
        List<Hit> hits = searcher.search(r.build()).hits();
        Set<String> seen = new HashSet<>();
        boolean twin = false;
        int found = 0;
        for (Hit h : hits) {
          twin |= !seen.add(conceptOf.apply(h.id()));
          found += q.relevant().contains(h.id()) ? 1 : 0;
          collapsed += h.duplicates().size();
        }
        withTwins += twin ? 1 : 0;
        concepts += seen.size();
        recall += found / (double) q.relevant().size();
      }
      Map<String, Object> v = FeatureReport.newValues();
      v.put("query_set", set.file().getFileName().toString());
      v.put("setting", s.getKey());
      v.put("queries", picked.size());
      v.put("top10_with_two_of_a_concept", withTwins);
      v.put("concepts_per_top10", concepts / picked.size());
      v.put("recall_at_10", recall / picked.size());
      v.put("collapsed_per_query", collapsed / (double) picked.size());
      out.add(new FeatureReport("diversity", v));
    }
    return out;
  }

  private static List<FeatureReport> collapseThresholds(
      IndexedImages index, Function<String, String> conceptOf) {
    VectorBlock vectors = index.vectors();
    int n = index.size();
    Map<String, Integer> perConcept = new HashMap<>();
    for (int i = 0; i < n; i++) {
      perConcept.merge(conceptOf.apply(index.id(i)), 1, Integer::sum);
    }
    double[] nearest = new double[n];
    boolean[] nearestIsTwin = new boolean[n];
    double[] twin = new double[n];
    float[][] v = new float[n][];
    for (int i = 0; i < n; i++) {
      v[i] = vectors.vector(i);
    }
    for (int i = 0; i < n; i++) {
      nearest[i] = Double.NEGATIVE_INFINITY;
      twin[i] = Double.NaN;
      String ci = conceptOf.apply(index.id(i));
      for (int j = 0; j < n; j++) {
        if (i == j) {
          continue;
        }
        double cos = VectorScores.dot(v[i], v[j]);
        boolean same = ci.equals(conceptOf.apply(index.id(j)));
        if (same && (Double.isNaN(twin[i]) || cos > twin[i])) {
          twin[i] = cos;
        }
        if (cos > nearest[i]) {
          nearest[i] = cos;
          nearestIsTwin[i] = same;
        }
      }
    }
    List<FeatureReport> out = new ArrayList<>();
    int withTwin = 0;
    for (int i = 0; i < n; i++) {
      withTwin += perConcept.get(conceptOf.apply(index.id(i))) > 1 ? 1 : 0;
    }
    for (int c = 60; c <= 98; c += 2) {
      double t = c / 100.0;
      int above = 0;
      int aboveTwin = 0;
      int twinsAbove = 0;
      for (int i = 0; i < n; i++) {
        if (nearest[i] >= t) {
          above++;
          aboveTwin += nearestIsTwin[i] ? 1 : 0;
        }
        if (!Double.isNaN(twin[i]) && twin[i] >= t) {
          twinsAbove++;
        }
      }
      double precision = above == 0 ? 1 : aboveTwin / (double) above;
      double recall = withTwin == 0 ? 0 : twinsAbove / (double) withTwin;
      Map<String, Object> r = FeatureReport.newValues();
      r.put("cosine", t);
      r.put("images", n);
      r.put("images_with_a_twin", withTwin);
      r.put("nearest_pairs_above", above);
      r.put("precision", precision);
      r.put("recall", recall);
      r.put("f1", precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall));
      out.add(new FeatureReport("collapse_threshold", r));
    }
    return out;
  }
}
