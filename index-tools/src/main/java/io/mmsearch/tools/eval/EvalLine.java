package io.mmsearch.tools.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One result of an evaluation: a task, a mode and its figures, printed as one JSON object per line
 * with {@code --json}. Immutable.
 *
 * @param task what was measured
 * @param mode how the index was searched (zero-shot and ANN-versus-exact lines use {@code vector})
 * @param querySet the query file's name, or {@code null} for tasks that need none
 * @param queries how many queries (or images, for zero-shot classification) were evaluated
 * @param figures the figure names and values, in print order ({@code recall_at_1}, ..., or {@code
 *     accuracy} / {@code recall}, plus {@code chance} where it is defined)
 */
public record EvalLine(
    EvalTask task, EvalMode mode, String querySet, int queries, Map<String, Double> figures) {

  public EvalLine {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(mode, "mode");
    figures = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
  }

  /** A text->image or image->image line from averaged ranking figures. */
  public static EvalLine retrieval(
      EvalTask task, EvalMode mode, String querySet, RetrievalFigures f, double chanceAt10) {
    Map<String, Double> figures = new LinkedHashMap<>();
    figures.put("recall_at_1", f.recallAt1());
    figures.put("recall_at_5", f.recallAt5());
    figures.put("recall_at_10", f.recallAt10());
    figures.put("mrr", f.mrr());
    figures.put("ndcg_at_10", f.ndcgAt10());
    figures.put("chance_recall_at_10", chanceAt10);
    return new EvalLine(task, mode, querySet, f.queries(), figures);
  }

  /** The line as an ordered map, ready for a JSON writer. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("task", task.jsonName());
    json.put("mode", mode.jsonName());
    if (querySet != null) {
      json.put("query_set", querySet);
    }
    json.put("queries", queries);
    figures.forEach((name, value) -> json.put(name, Math.round(value * 1e5) / 1e5));
    return json;
  }

  /** A short label for tables and charts, e.g. {@code t2i vector (queries-t2i)}. */
  public String label() {
    String label = task.jsonName() + " " + mode.jsonName();
    if (querySet == null) {
      return label;
    }
    int dot = querySet.lastIndexOf('.');
    return label + " (" + (dot > 0 ? querySet.substring(0, dot) : querySet) + ")";
  }
}
