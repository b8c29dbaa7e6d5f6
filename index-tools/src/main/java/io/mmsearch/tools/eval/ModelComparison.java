package io.mmsearch.tools.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Two evaluations of the same query sets side by side, one per model (an index and the bundle it
 * was built with): every line's figures for both, and, query by query, whether the new model ranks
 * the query's first relevant document higher (a win), lower (a loss) or at the same rank (a tie).
 * Immutable.
 */
public final class ModelComparison {

  /** What one model's evaluation gave. */
  public record Side(String label, List<EvalLine> lines, List<QueryOutcome> perQuery) {
    public Side {
      Objects.requireNonNull(label, "label");
      lines = List.copyOf(lines);
      perQuery = List.copyOf(perQuery);
    }
  }

  /**
   * One query whose first relevant document moved.
   *
   * @param oldRank its rank with the old model (1 = first, 0 = not among the results read)
   * @param newRank its rank with the new model
   */
  public record RankChange(EvalQuery query, int oldRank, int newRank) {
    /** Whether the new model does better. */
    public boolean win() {
      return better(newRank, oldRank);
    }

    /** Change of the reciprocal rank, new minus old: how much the move matters for MRR. */
    double reciprocalRankGain() {
      return reciprocal(newRank) - reciprocal(oldRank);
    }
  }

  /**
   * A line of both evaluations.
   *
   * @param oldLine the old model's figures, or null if its evaluation has no such line (skipped)
   * @param newLine the new model's figures, or null
   * @param wins queries whose first relevant document ranks higher with the new model
   * @param losses queries where it ranks lower
   * @param ties queries where it ranks the same (also: found by neither)
   * @param changes the wins and losses, the largest change of reciprocal rank first
   */
  public record ComparedLine(
      EvalLine oldLine,
      EvalLine newLine,
      int wins,
      int losses,
      int ties,
      List<RankChange> changes) {
    public ComparedLine {
      changes = List.copyOf(changes);
    }

    /** Either line, for the task, mode and query set both share. */
    public EvalLine any() {
      return oldLine != null ? oldLine : newLine;
    }
  }

  private final Side oldSide;
  private final Side newSide;
  private final List<ComparedLine> lines;

  private ModelComparison(Side oldSide, Side newSide, List<ComparedLine> lines) {
    this.oldSide = oldSide;
    this.newSide = newSide;
    this.lines = List.copyOf(lines);
  }

  /** Pairs the lines of both sides by task, mode and query set, and their queries by id. */
  public static ModelComparison of(Side oldSide, Side newSide) {
    Map<String, EvalLine[]> byKey = new LinkedHashMap<>();
    for (EvalLine line : oldSide.lines()) {
      byKey.computeIfAbsent(key(line), k -> new EvalLine[2])[0] = line;
    }
    for (EvalLine line : newSide.lines()) {
      byKey.computeIfAbsent(key(line), k -> new EvalLine[2])[1] = line;
    }
    Map<String, QueryOutcome> oldQueries = new LinkedHashMap<>();
    for (QueryOutcome q : oldSide.perQuery()) {
      oldQueries.put(key(q), q);
    }
    Map<String, List<QueryOutcome[]>> pairs = new LinkedHashMap<>();
    for (QueryOutcome q : newSide.perQuery()) {
      QueryOutcome old = oldQueries.get(key(q));
      if (old != null) {
        pairs
            .computeIfAbsent(key(q.task(), q.mode(), q.querySet()), k -> new ArrayList<>())
            .add(new QueryOutcome[] {old, q});
      }
    }
    List<ComparedLine> lines = new ArrayList<>();
    for (Map.Entry<String, EvalLine[]> e : byKey.entrySet()) {
      int wins = 0;
      int losses = 0;
      int ties = 0;
      List<RankChange> changes = new ArrayList<>();
      for (QueryOutcome[] pair : pairs.getOrDefault(e.getKey(), List.of())) {
        RankChange change =
            new RankChange(
                pair[1].query(), pair[0].firstRelevantRank(), pair[1].firstRelevantRank());
        if (change.oldRank() == change.newRank()) {
          ties++;
        } else if (change.win()) {
          wins++;
          changes.add(change);
        } else {
          losses++;
          changes.add(change);
        }
      }
      changes.sort(
          Comparator.comparingDouble((RankChange c) -> -Math.abs(c.reciprocalRankGain()))
              .thenComparing(c -> c.query().id()));
      lines.add(new ComparedLine(e.getValue()[0], e.getValue()[1], wins, losses, ties, changes));
    }
    return new ModelComparison(oldSide, newSide, lines);
  }

  public Side oldSide() {
    return oldSide;
  }

  public Side newSide() {
    return newSide;
  }

  /** The compared lines, in the old evaluation's order, then lines only the new one has. */
  public List<ComparedLine> lines() {
    return lines;
  }

  /** Whether rank {@code a} is better than rank {@code b} (0 = not found, worst). */
  static boolean better(int a, int b) {
    return a != 0 && (b == 0 || a < b);
  }

  private static double reciprocal(int rank) {
    return rank == 0 ? 0 : 1.0 / rank;
  }

  private static String key(EvalLine line) {
    return key(line.task(), line.mode(), line.querySet());
  }

  private static String key(QueryOutcome q) {
    return key(q.task(), q.mode(), q.querySet()) + "\u0000" + q.query().id();
  }

  private static String key(EvalTask task, EvalMode mode, String querySet) {
    return task + "\u0000" + mode + "\u0000" + querySet;
  }
}
