package io.mmsearch.tools.eval;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.lucene.schema.ImageSchema;
import io.mmsearch.lucene.search.Hit;
import io.mmsearch.lucene.search.MultimodalSearcher;
import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.semantics.Ranked;
import io.mmsearch.semantics.ScoreCutoff;
import io.mmsearch.semantics.VectorTarget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a score cut-off buys: for the text queries of a query set, each list (image vectors, caption
 * vectors, both joined, BM25) read to a depth, then cut by a grid of minimum scores and by autocut
 * with the shared {@link ScoreCutoff}: the precision (relevant hits among those kept), the recall
 * (relevant hits kept among all relevant) and the hits kept per query. A calibration line per list
 * gives the score quantiles of relevant hits and of the best non-relevant one, which is what a
 * minimum score must separate. Stateless.
 */
public final class CutoffEvaluation {
  private CutoffEvaluation() {}

  /** The lists measured. */
  private enum Mode {
    IMAGE,
    CAPTION,
    BOTH,
    BM25
  }

  private record Scored(float score, boolean relevant) {}

  public static List<FeatureReport> run(
      MultimodalSearcher searcher,
      DualEncoder encoder,
      QuerySet set,
      int depth,
      Consumer<String> notes)
      throws IOException {
    List<FeatureReport> out = new ArrayList<>();
    String name = set.file().getFileName().toString();
    for (Mode mode : Mode.values()) {
      List<List<Scored>> lists = new ArrayList<>();
      int relevantTotal = 0;
      for (EvalQuery q : set.queries()) {
        if (q.text() == null) {
          continue;
        }
        SearchRequest.Builder r = SearchRequest.builder().k(depth).size(depth).facets(false);
        try {
          switch (mode) {
            case IMAGE -> r.vector(encoder.text().encode(q.text()));
            case CAPTION ->
                r.vector(encoder.text().encode(q.text())).vectorField(ImageSchema.CAPTION_VECTOR);
            case BOTH ->
                r.vector(encoder.text().encode(q.text()))
                    .targets(
                        List.of(
                            VectorTarget.of(ImageSchema.IMAGE_VECTOR),
                            VectorTarget.of(ImageSchema.CAPTION_VECTOR)));
            case BM25 -> r.keywords(q.words().orElseThrow());
          }
        } catch (EncodingException e) {
          notes.accept(q.location() + ": query " + q.id() + " skipped: " + e.getMessage());
          continue;
        }
        List<Scored> list = new ArrayList<>();
        for (Hit h : searcher.search(r.build()).hits()) {
          list.add(new Scored(h.score(), q.relevant().contains(h.id())));
        }
        lists.add(list);
        relevantTotal += q.relevant().size();
      }
      if (lists.isEmpty()) {
        continue;
      }
      String list = mode.name().toLowerCase(java.util.Locale.ROOT);
      out.add(calibration(name, list, lists));
      List<ScoreCutoff> cutoffs = new ArrayList<>();
      if (mode == Mode.BM25) {
        for (float min : new float[] {2, 4, 6, 8, 10, 12, 15, 20}) {
          cutoffs.add(ScoreCutoff.minScore(min));
        }
      } else {
        for (int i = 10; i <= 19; i++) {
          cutoffs.add(ScoreCutoff.minScore(i * 0.05f));
        }
      }
      for (int jumps = 1; jumps <= 3; jumps++) {
        cutoffs.add(ScoreCutoff.autocut(jumps));
      }
      for (ScoreCutoff c : cutoffs) {
        out.add(measure(name, list, c, lists, relevantTotal));
      }
    }
    return out;
  }

  private static FeatureReport measure(
      String set, String list, ScoreCutoff cutoff, List<List<Scored>> lists, int relevantTotal) {
    long kept = 0;
    long relevantKept = 0;
    int empty = 0;
    for (List<Scored> l : lists) {
      List<Ranked<Integer>> ranked = new ArrayList<>(l.size());
      for (int i = 0; i < l.size(); i++) {
        ranked.add(new Ranked<>(i, l.get(i).score()));
      }
      List<Ranked<Integer>> cut = cutoff.apply(ranked);
      kept += cut.size();
      empty += cut.isEmpty() ? 1 : 0;
      for (Ranked<Integer> r : cut) {
        relevantKept += l.get(r.key()).relevant() ? 1 : 0;
      }
    }
    Map<String, Object> v = FeatureReport.newValues();
    v.put("query_set", set);
    v.put("list", list);
    v.put(
        "cutoff",
        cutoff.hasMinScore() ? "minScore " + cutoff.minScore() : "autocut " + cutoff.autocut());
    v.put("queries", lists.size());
    v.put("precision", kept == 0 ? 0.0 : relevantKept / (double) kept);
    v.put("recall", relevantKept / (double) relevantTotal);
    v.put("kept_per_query", kept / (double) lists.size());
    v.put("no_hit_fraction", empty / (double) lists.size());
    return new FeatureReport("cutoff", v);
  }

  private static FeatureReport calibration(String set, String list, List<List<Scored>> lists) {
    List<Float> relevant = new ArrayList<>();
    List<Float> bestOther = new ArrayList<>();
    for (List<Scored> l : lists) {
      boolean other = false;
      for (Scored s : l) {
        if (s.relevant()) {
          relevant.add(s.score());
        } else if (!other) {
          bestOther.add(s.score());
          other = true;
        }
      }
    }
    Map<String, Object> v = FeatureReport.newValues();
    v.put("query_set", set);
    v.put("list", list);
    v.put("queries", lists.size());
    v.put("relevant_found", relevant.size());
    v.put("relevant_p10", quantile(relevant, 0.1));
    v.put("relevant_p50", quantile(relevant, 0.5));
    v.put("relevant_p90", quantile(relevant, 0.9));
    v.put("best_nonrelevant_p50", quantile(bestOther, 0.5));
    v.put("best_nonrelevant_p90", quantile(bestOther, 0.9));
    return new FeatureReport("cutoff_calibration", v);
  }

  static double quantile(List<Float> values, double q) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    float[] sorted = new float[values.size()];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = values.get(i);
    }
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  }
}
