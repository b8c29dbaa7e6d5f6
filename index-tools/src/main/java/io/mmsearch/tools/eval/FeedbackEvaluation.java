package io.mmsearch.tools.eval;

import io.mmsearch.lucene.search.Hit;
import io.mmsearch.lucene.search.MultimodalSearcher;
import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.tools.search.RequestOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Relevance feedback measured the usual way, with a simulated user and the residual collection:
 * each text query is searched as the command line searches it by default; the user marks the
 * relevant hits of the top 10 "more like this" and its first two non-relevant hits "less like
 * this"; the query runs again with that feedback. Every document of the first top 10 is then
 * removed from the second ranking (the user has seen them), and Recall@10 is measured on the
 * relevant documents that were not in the first top 10, over the queries that have some. The
 * settings: no feedback (the first ranking past its top 10), positive examples only, and positive
 * plus negative examples at several negative weights (Rocchio's γ). Stateless.
 */
public final class FeedbackEvaluation {
  private FeedbackEvaluation() {}

  public static List<FeatureReport> run(MultimodalSearcher searcher, QuerySet set, int depth)
      throws IOException {
    Map<String, float[]> settings = new LinkedHashMap<>();
    settings.put("none", null);
    settings.put("positive only", new float[] {1f, 0f});
    for (float gamma : new float[] {0.15f, 0.25f, 0.5f, 0.75f, 1f}) {
      settings.put("rocchio gamma " + gamma, new float[] {1f, gamma});
    }
    Map<String, double[]> sums = new LinkedHashMap<>();
    settings.keySet().forEach(k -> sums.put(k, new double[2]));
    for (EvalQuery q : set.queries()) {
      if (q.text() == null) {
        continue;
      }
      List<String> first = ids(searcher, request(q, depth).build());
      Set<String> seen = new HashSet<>(first.subList(0, Math.min(10, first.size())));
      Set<String> remaining = new HashSet<>(q.relevant());
      remaining.removeAll(seen);
      if (remaining.isEmpty()) {
        continue;
      }
      List<String> positives = new ArrayList<>();
      List<String> negatives = new ArrayList<>();
      for (String id : seen) {
        if (q.relevant().contains(id)) {
          positives.add(id);
        }
      }
      for (String id : first.subList(0, Math.min(10, first.size()))) {
        if (!q.relevant().contains(id) && negatives.size() < 2) {
          negatives.add(id);
        }
      }
      for (Map.Entry<String, float[]> s : settings.entrySet()) {
        List<String> ranking;
        if (s.getValue() == null) {
          ranking = first;
        } else {
          SearchRequest.Builder r = request(q, depth);
          positives.forEach(id -> r.likeId(id, s.getValue()[0]));
          if (s.getValue()[1] > 0) {
            negatives.forEach(id -> r.unlikeId(id, s.getValue()[1]));
          }
          ranking = ids(searcher, r.build());
        }
        List<String> residual = new ArrayList<>();
        for (String id : ranking) {
          if (!seen.contains(id) && residual.size() < 10) {
            residual.add(id);
          }
        }
        long found = residual.stream().filter(remaining::contains).count();
        double[] sum = sums.get(s.getKey());
        sum[0] += found / (double) remaining.size();
        sum[1]++;
      }
    }
    List<FeatureReport> out = new ArrayList<>();
    for (Map.Entry<String, double[]> s : sums.entrySet()) {
      Map<String, Object> v = FeatureReport.newValues();
      v.put("query_set", set.file().getFileName().toString());
      v.put("setting", s.getKey());
      v.put("queries", (int) s.getValue()[1]);
      v.put(
          "residual_recall_at_10", s.getValue()[1] == 0 ? 0.0 : s.getValue()[0] / s.getValue()[1]);
      out.add(new FeatureReport("feedback", v));
    }
    return out;
  }

  private static SearchRequest.Builder request(EvalQuery q, int depth) {
    return RequestOptions.defaultTextRequest(q.text()).k(depth).size(depth).facets(false);
  }

  private static List<String> ids(MultimodalSearcher searcher, SearchRequest r) throws IOException {
    List<String> ids = new ArrayList<>();
    for (Hit h : searcher.search(r).hits()) {
      ids.add(h.id());
    }
    return ids;
  }
}
