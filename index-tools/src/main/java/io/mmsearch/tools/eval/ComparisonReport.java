package io.mmsearch.tools.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Prints a {@link ModelComparison}: as a table (each figure old/new, then wins, losses and ties,
 * then the largest wins and losses of each line), or with {@code --json} as one object per line
 * ({@code "type":"line"}) and per query that changed ({@code "type":"query"}).
 */
public final class ComparisonReport {
  /** Wins and losses listed per line in the table (all of them are in the JSON). */
  static final int SHOWN_CHANGES = 3;

  private static final List<String> COLUMNS =
      List.of("recall_at_1", "recall_at_10", "mrr", "ndcg_at_10");
  private static final List<String> HEADERS = List.of("R@1", "R@10", "MRR", "nDCG@10");

  private final ModelComparison comparison;

  public ComparisonReport(ModelComparison comparison) {
    this.comparison = comparison;
  }

  /** The table, then the largest changes. */
  public void printText(PrintWriter out) {
    String oldLabel = comparison.oldSide().label();
    String newLabel = comparison.newSide().label();
    StringBuilder header =
        new StringBuilder(String.format(Locale.ROOT, "%-16s %-14s %7s", "task", "mode", "queries"));
    for (String h : HEADERS) {
      header.append(String.format(Locale.ROOT, " %15s", h + " " + oldLabel + "/" + newLabel));
    }
    header.append(
        String.format(Locale.ROOT, " %5s %6s %5s  %s", "wins", "losses", "ties", "other"));
    out.println(header);
    for (ModelComparison.ComparedLine line : comparison.lines()) {
      EvalLine any = line.any();
      StringBuilder row =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%-16s %-14s %7d",
                  any.task().jsonName(),
                  any.mode().jsonName(),
                  any.queries()));
      for (String column : COLUMNS) {
        row.append(String.format(Locale.ROOT, " %15s", pair(line, column)));
      }
      boolean perQuery = line.wins() + line.losses() + line.ties() > 0;
      row.append(
          perQuery
              ? String.format(Locale.ROOT, " %5d %6d %5d", line.wins(), line.losses(), line.ties())
              : String.format(Locale.ROOT, " %5s %6s %5s", "-", "-", "-"));
      StringBuilder other = new StringBuilder();
      for (String name : otherFigures(line)) {
        other.append(name).append('=').append(pair(line, name)).append(' ');
      }
      if (any.querySet() != null) {
        other.append('(').append(any.querySet()).append(')');
      }
      out.println(row + "  " + other.toString().strip());
    }
    for (ModelComparison.ComparedLine line : comparison.lines()) {
      if (line.changes().isEmpty()) {
        continue;
      }
      out.printf(
          Locale.ROOT,
          "%n%s: %d wins, %d losses, %d ties for %s (rank of the first relevant document):%n",
          line.any().label(),
          line.wins(),
          line.losses(),
          line.ties(),
          newLabel);
      print(out, line.changes().stream().filter(ModelComparison.RankChange::win).toList());
      print(out, line.changes().stream().filter(c -> !c.win()).toList());
    }
    out.flush();
  }

  private static void print(PrintWriter out, List<ModelComparison.RankChange> changes) {
    for (ModelComparison.RankChange c :
        changes.subList(0, Math.min(SHOWN_CHANGES, changes.size()))) {
      EvalQuery q = c.query();
      out.printf(
          Locale.ROOT,
          "  %-4s %s %s: %s -> %s%n",
          c.win() ? "win" : "loss",
          q.id(),
          q.text() != null ? "\"" + q.text() + "\"" : q.image().getFileName(),
          rank(c.oldRank()),
          rank(c.newRank()));
    }
  }

  /** One JSON object per compared line, then one per query that changed. */
  public void printJson(PrintWriter out) {
    ObjectMapper mapper = new ObjectMapper();
    String oldLabel = comparison.oldSide().label();
    String newLabel = comparison.newSide().label();
    for (ModelComparison.ComparedLine line : comparison.lines()) {
      EvalLine any = line.any();
      ObjectNode o = mapper.createObjectNode();
      o.put("type", "line");
      o.put("task", any.task().jsonName());
      o.put("mode", any.mode().jsonName());
      if (any.querySet() != null) {
        o.put("query_set", any.querySet());
      }
      o.put("queries", any.queries());
      figures(o.putObject(oldLabel), line.oldLine());
      figures(o.putObject(newLabel), line.newLine());
      o.put("wins", line.wins());
      o.put("losses", line.losses());
      o.put("ties", line.ties());
      out.println(o);
    }
    for (ModelComparison.ComparedLine line : comparison.lines()) {
      for (ModelComparison.RankChange c : line.changes()) {
        ObjectNode o = mapper.createObjectNode();
        o.put("type", "query");
        o.put("task", line.any().task().jsonName());
        o.put("mode", line.any().mode().jsonName());
        o.put("query_set", line.any().querySet());
        o.put("query", c.query().id());
        o.put(oldLabel + "_rank", c.oldRank());
        o.put(newLabel + "_rank", c.newRank());
        o.put("outcome", c.win() ? "win" : "loss");
        out.println(o);
      }
    }
    out.flush();
  }

  private static void figures(ObjectNode into, EvalLine line) {
    if (line != null) {
      line.figures().forEach((name, value) -> into.put(name, Math.round(value * 1e5) / 1e5));
    }
  }

  private static Set<String> otherFigures(ModelComparison.ComparedLine line) {
    Set<String> names = new LinkedHashSet<>();
    for (EvalLine side : new EvalLine[] {line.oldLine(), line.newLine()}) {
      if (side != null) {
        names.addAll(side.figures().keySet());
      }
    }
    names.removeAll(COLUMNS);
    names.remove("recall_at_5");
    return names;
  }

  private static String pair(ModelComparison.ComparedLine line, String name) {
    return figure(line.oldLine(), name) + "/" + figure(line.newLine(), name);
  }

  private static String figure(EvalLine line, String name) {
    Map<String, Double> f = line == null ? Map.of() : line.figures();
    Double value = f.get(name);
    return value == null ? "-" : String.format(Locale.ROOT, "%.4f", value);
  }

  private static String rank(int rank) {
    return rank == 0 ? "not found" : "rank " + rank;
  }
}
