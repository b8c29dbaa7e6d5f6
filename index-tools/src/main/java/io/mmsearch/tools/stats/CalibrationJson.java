package io.mmsearch.tools.stats;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.semantics.recall.CandidateChoice;
import io.mmsearch.semantics.recall.QueryKind;
import io.mmsearch.semantics.recall.RecallCalibration;
import io.mmsearch.semantics.recall.RecallCurve;
import java.util.Locale;

/**
 * A recall calibration as {@code mmsearch stats} and {@code /api/stats} print it: what was measured
 * and when, the candidates each target needs per kind of query at window 10, and the measured
 * curves.
 */
public final class CalibrationJson {
  /** The targets whose candidate counts are listed. */
  public static final double[] TARGETS = {0.9, 0.95, 0.98, 0.99};

  /** The window the listed counts are for: {@code k} 10, the first page. */
  public static final int WINDOW = 10;

  private static final ObjectMapper JSON = new ObjectMapper();

  private CalibrationJson() {}

  /**
   * {@code {"current", "documents", "segments", "measured_at", "seconds", "complete", "queries":
   * {kind: source}, "candidates": {kind: {target: count or null}}, "curves": [{"kind",
   * "selectivity", "reranked", "queries", "window", "points": [[count, recall, standard error],
   * ...]}]}}.
   *
   * @param current whether the calibration describes the layout being searched
   */
  public static ObjectNode of(RecallCalibration c, boolean current) {
    ObjectNode o = JSON.createObjectNode();
    o.put("current", current);
    o.put("documents", c.documents());
    o.put("segments", c.segments());
    o.put("measured_at", c.measuredAt());
    o.put("seconds", Math.round(c.cost().seconds() * 100) / 100.0);
    o.put("complete", c.complete());
    ObjectNode queries = o.putObject("queries");
    c.querySources().forEach((kind, source) -> queries.put(kind.label(), source));
    ObjectNode candidates = o.putObject("candidates");
    for (QueryKind kind : c.kinds()) {
      ObjectNode perTarget = candidates.putObject(kind.label());
      for (double t : TARGETS) {
        CandidateChoice choice = c.choose(kind, WINDOW, t, 1, true);
        String key = String.format(Locale.ROOT, "%.2f", t);
        if (choice.reachable()) {
          perTarget.put(key, choice.candidates());
        } else {
          perTarget.putNull(key);
        }
      }
    }
    ArrayNode curves = o.putArray("curves");
    for (RecallCalibration.Curve curve : c.curves()) {
      RecallCurve r = curve.curve();
      for (int w = 0; w < r.windows().length; w++) {
        ObjectNode n = curves.addObject();
        n.put("kind", curve.kind().label());
        n.put("selectivity", curve.selectivity());
        n.put("reranked", curve.reranked());
        n.put("queries", r.queries());
        n.put("window", r.windows()[w]);
        ArrayNode points = n.putArray("points");
        for (int i = 0; i < r.candidates().length; i++) {
          if (!Double.isNaN(r.recall()[w][i])) {
            points
                .addArray()
                .add(r.candidates()[i])
                .add(Math.round(r.recall()[w][i] * 1e4) / 1e4)
                .add(Math.round(r.standardError()[w][i] * 1e4) / 1e4);
          }
        }
      }
    }
    return o;
  }

  /** Lines for people: when, what, and the counts per target and kind. */
  public static String text(RecallCalibration c, boolean current) {
    StringBuilder s =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%s documents in %d segment(s), measured %s in %.1f s%s%s",
                String.format(Locale.ROOT, "%,d", c.documents()),
                c.segments(),
                c.measuredAt(),
                c.cost().seconds(),
                c.complete() ? "" : ", stopped by its time budget",
                current ? "" : " (an earlier layout: stale)"));
    for (QueryKind kind : c.kinds()) {
      s.append(String.format(Locale.ROOT, "%n  %-5s queries:", kind.label()));
      for (double t : TARGETS) {
        CandidateChoice choice = c.choose(kind, WINDOW, t, 1, true);
        s.append(
            String.format(
                Locale.ROOT,
                " %.2f -> %s",
                t,
                choice.reachable() ? String.valueOf(choice.candidates()) : "not reached"));
      }
      s.append("  (").append(c.querySources().get(kind)).append(')');
    }
    return s.toString();
  }
}
