package io.mmsearch.tools.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the evaluations of search features (cut-offs, diversity, relevance feedback): a task,
 * the setting it measured, and its figures, printed as one JSON object per line. Immutable.
 *
 * @param task {@code cutoff}, {@code cutoff_calibration}, {@code diversity}, {@code
 *     collapse_threshold} or {@code feedback}
 * @param values the setting and the figures, in print order
 */
public record FeatureReport(String task, Map<String, Object> values) {

  public FeatureReport {
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** The line as an ordered map for a JSON writer; doubles rounded to 5 decimals. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("task", task);
    values.forEach((k, v) -> json.put(k, v instanceof Double d ? Math.round(d * 1e5) / 1e5 : v));
    return json;
  }

  /** A builder of one line. */
  static Map<String, Object> newValues() {
    return new LinkedHashMap<>();
  }
}
