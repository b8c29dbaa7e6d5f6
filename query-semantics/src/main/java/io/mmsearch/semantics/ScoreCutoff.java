package io.mmsearch.semantics;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a ranked list ends before fusion: a minimum score, and/or an <b>autocut</b> at the n-th
 * jump in its scores. Immutable.
 *
 * <p>A cut-off applies to one list, in that list's own units, <em>before</em> the lists fuse: the
 * keyword list's BM25 scores, or the vector list's similarity scores ({@code (1 + cos) / 2}, in
 * {@code [0, 1]}; with several targets, their weighted mean, in the same units). A document that a
 * list's cut-off removes contributes nothing to fusion through that list, and a document that no
 * list keeps is gone from the fused result. That is what lets a threshold survive fusion: after RRF
 * or linear fusion the fused scores no longer mean similarity, but every fused document passed the
 * cut-off of a list that found it.
 *
 * <p><b>Autocut</b> (the idea of Weaviate's {@code autocut}): the scores of the list, after the
 * minimum score, are scaled to {@code [0, 1]} between the first and the last, and compared with a
 * straight line from the first to the last; a <em>jump</em> is a position where the drop into it is
 * larger than the average drop and the drop out of it is not (a local maximum of the distance from
 * the line). {@code autocut = n} keeps the hits before the n-th jump. A list of fewer than 2 hits,
 * or of equal scores, has no jump.
 *
 * @param minScore keep hits scoring at least this; {@code NaN} for no minimum
 * @param autocut cut before the n-th jump; 0 for no autocut
 */
public record ScoreCutoff(float minScore, int autocut) {

  /** No cut-off. */
  public static final ScoreCutoff NONE = new ScoreCutoff(Float.NaN, 0);

  public ScoreCutoff {
    if (Float.isInfinite(minScore)) {
      throw new InvalidQueryException("a minimum score must be finite, got " + minScore);
    }
    if (autocut < 0) {
      throw new InvalidQueryException("autocut must be >= 0 jumps, got " + autocut);
    }
  }

  /** A minimum score only. */
  public static ScoreCutoff minScore(float minScore) {
    return new ScoreCutoff(minScore, 0);
  }

  /** Autocut only. */
  public static ScoreCutoff autocut(int jumps) {
    return new ScoreCutoff(Float.NaN, jumps);
  }

  /** This cut-off with another minimum score. */
  public ScoreCutoff withMinScore(float min) {
    return new ScoreCutoff(min, autocut);
  }

  /** This cut-off with another autocut. */
  public ScoreCutoff withAutocut(int jumps) {
    return new ScoreCutoff(minScore, jumps);
  }

  /** Whether this cuts anything at all. */
  public boolean isActive() {
    return hasMinScore() || autocut > 0;
  }

  /** Whether a minimum score is set. */
  public boolean hasMinScore() {
    return !Float.isNaN(minScore);
  }

  /**
   * Checks the minimum score against the range of the list it applies to.
   *
   * @param parameter names the setting in the message (e.g. {@code minScore})
   * @param range the scores the list can have
   * @return this
   * @throws InvalidQueryException if the minimum lies outside {@code range}
   */
  public ScoreCutoff requireWithin(String parameter, ScoreRange range) {
    if (hasMinScore() && !range.contains(minScore)) {
      throw new InvalidQueryException(
          parameter
              + " "
              + minScore
              + " is outside the "
              + range
              + "; it would "
              + range.effect(minScore));
    }
    return this;
  }

  /**
   * The hits of {@code list} (in rank order) this cut-off keeps: a prefix of the list, since both
   * the minimum score and autocut cut where the scores fall.
   */
  public <K extends Comparable<? super K>> List<Ranked<K>> apply(List<Ranked<K>> list) {
    if (!isActive()) {
      return list;
    }
    int end = list.size();
    if (hasMinScore()) {
      end = 0;
      while (end < list.size() && list.get(end).score() >= minScore) {
        end++;
      }
    }
    if (autocut > 0) {
      float[] scores = new float[end];
      for (int i = 0; i < end; i++) {
        scores[i] = list.get(i).score();
      }
      end = autocutEnd(scores, autocut);
    }
    return new ArrayList<>(list.subList(0, end));
  }

  /**
   * How many of {@code scores} (descending) autocut keeps: the index of the {@code jumps}-th jump,
   * or all of them.
   */
  static int autocutEnd(float[] scores, int jumps) {
    int n = scores.length;
    if (n < 2 || scores[0] == scores[n - 1]) {
      return n;
    }
    double first = scores[0];
    double range = first - scores[n - 1];
    double[] distance = new double[n];
    for (int i = 0; i < n; i++) {
      distance[i] = (first - scores[i]) / range - i / (double) (n - 1);
    }
    int found = 0;
    for (int i = 1; i < n; i++) {
      boolean rises = distance[i] > distance[i - 1];
      boolean peak = rises && (i == n - 1 || distance[i] > distance[i + 1]);
      if (peak && ++found == jumps) {
        return i;
      }
    }
    return n;
  }

  /** The scores a ranked list can have, to check thresholds against. */
  public enum ScoreRange {
    /** Vector similarity scores, {@code (1 + cos) / 2}. */
    SIMILARITY(0, 1),
    /** BM25 scores: non-negative, unbounded. */
    BM25(0, Double.POSITIVE_INFINITY);

    private final double min;
    private final double max;

    ScoreRange(double min, double max) {
      this.min = min;
      this.max = max;
    }

    /** Whether {@code score} can occur. */
    public boolean contains(float score) {
      return score >= min && score <= max;
    }

    private String effect(float threshold) {
      return threshold < min ? "keep every hit" : "keep no hit";
    }

    @Override
    public String toString() {
      return this == SIMILARITY
          ? "range of vector similarity scores, [0, 1] ((1 + cos) / 2)"
          : "range of BM25 scores, [0, infinity)";
    }
  }
}
