package io.mmsearch.semantics.recall;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Measured recall of one kind of query on one index layout: for each calibrated window {@code w}
 * (the depth a request reads, {@code max(k, from + size)}), the mean recall@w against exact search
 * when the vector search fetches {@code c} candidates, for a ladder of candidate counts. Recall
 * here is what a request with exact re-rank gets: the share of the true top {@code w} that is among
 * the {@code c} candidates.
 *
 * <p>Lookups read the curve made monotone the cautious way: the recall at a count is the lowest
 * recall measured at that count or any larger one, so sampling noise never makes a smaller count
 * look sufficient. Between ladder steps the recall is interpolated linearly in {@code log c}; a
 * window between two calibrated windows interpolates the candidates-per-hit factor in {@code log
 * w}; below the smallest calibrated window the smallest window's count is used, above the largest
 * the largest window's factor.
 *
 * <p>Immutable and Lucene-free (the Solr plugin reads the same curves).
 *
 * @param windows calibrated windows, ascending, at least one
 * @param candidates the ladder of candidate counts, ascending, at least one
 * @param recall mean recall, {@code recall[window][candidate]}; {@code NaN} where the count is
 *     below the window (never asked for: a search fetches at least its window)
 * @param standardError standard error of each mean over the calibration queries
 * @param queries calibration queries behind each mean
 */
public record RecallCurve(
    int[] windows, int[] candidates, double[][] recall, double[][] standardError, int queries) {

  public RecallCurve {
    windows = windows.clone();
    candidates = candidates.clone();
    recall = deepCopy(recall);
    standardError = deepCopy(standardError);
    if (windows.length == 0 || candidates.length == 0) {
      throw new IllegalArgumentException("a recall curve needs at least one window and one count");
    }
    requireAscending(windows, "windows");
    requireAscending(candidates, "candidates");
    if (recall.length != windows.length || standardError.length != windows.length) {
      throw new IllegalArgumentException("one row of recall and standard error per window");
    }
    for (int w = 0; w < windows.length; w++) {
      if (recall[w].length != candidates.length || standardError[w].length != candidates.length) {
        throw new IllegalArgumentException("one recall and standard error per candidate count");
      }
    }
    if (queries < 1) {
      throw new IllegalArgumentException("queries must be >= 1, got " + queries);
    }
  }

  /**
   * The smallest candidate count predicted to reach {@code target} recall@{@code window}.
   *
   * @return the count (at least {@code window}), or empty if the ladder never reached the target
   */
  public java.util.OptionalInt candidatesFor(int window, double target) {
    requireWindow(window);
    if (!(target > 0 && target <= 1)) {
      throw new IllegalArgumentException("target recall must be in (0, 1], got " + target);
    }
    int lower = lowerWindow(window);
    int upper = Math.min(lower + 1, windows.length - 1);
    if (window <= windows[0]) {
      return atCalibratedWindow(0, target);
    }
    if (window >= windows[windows.length - 1]) {
      java.util.OptionalInt last = atCalibratedWindow(windows.length - 1, target);
      if (last.isEmpty()) {
        return last;
      }
      double factor = last.getAsInt() / (double) windows[windows.length - 1];
      return java.util.OptionalInt.of(atLeast(window, Math.ceil(factor * window)));
    }
    java.util.OptionalInt a = atCalibratedWindow(lower, target);
    java.util.OptionalInt b = atCalibratedWindow(upper, target);
    if (a.isEmpty() || b.isEmpty()) {
      return java.util.OptionalInt.empty();
    }
    double fa = a.getAsInt() / (double) windows[lower];
    double fb = b.getAsInt() / (double) windows[upper];
    double t = logFraction(window, windows[lower], windows[upper]);
    return java.util.OptionalInt.of(atLeast(window, Math.ceil((fa + t * (fb - fa)) * window)));
  }

  /**
   * The estimated mean recall@{@code window} of searches fetching {@code count} candidates:
   * interpolated on the cautious curve; a count beyond the ladder reads the last step.
   */
  public double recallAt(int window, int count) {
    requireWindow(window);
    if (window <= windows[0]) {
      return recallAtCalibratedWindow(0, Math.max(count, windows[0]));
    }
    if (window >= windows[windows.length - 1]) {
      int last = windows.length - 1;
      double factor = count / (double) window;
      return recallAtCalibratedWindow(last, (int) Math.round(factor * windows[last]));
    }
    int lower = lowerWindow(window);
    int upper = lower + 1;
    double factor = count / (double) window;
    double ra = recallAtCalibratedWindow(lower, (int) Math.round(factor * windows[lower]));
    double rb = recallAtCalibratedWindow(upper, (int) Math.round(factor * windows[upper]));
    return ra + logFraction(window, windows[lower], windows[upper]) * (rb - ra);
  }

  /**
   * The standard error of {@link #recallAt} at the nearest measured ladder step of the nearest
   * calibrated window: how far the calibration's own mean may be off, not the spread of single
   * queries.
   */
  public double standardErrorAt(int window, int count) {
    requireWindow(window);
    int w = nearestWindow(window);
    double factor = count / (double) Math.max(window, 1);
    int c = nearestCount((int) Math.round(factor * windows[w]));
    double se = standardError[w][c];
    return Double.isNaN(se) ? 0 : se;
  }

  /** The cautious (monotone) recall at ladder step {@code c} of calibrated window {@code w}. */
  double cautious(int w, int c) {
    double min = Double.POSITIVE_INFINITY;
    for (int i = c; i < candidates.length; i++) {
      if (!Double.isNaN(recall[w][i])) {
        min = Math.min(min, recall[w][i]);
      }
    }
    return min == Double.POSITIVE_INFINITY ? Double.NaN : min;
  }

  private java.util.OptionalInt atCalibratedWindow(int w, double target) {
    double previous = Double.NaN;
    int previousCount = 0;
    for (int c = 0; c < candidates.length; c++) {
      double r = cautious(w, c);
      if (Double.isNaN(r)) {
        continue;
      }
      if (r >= target) {
        if (Double.isNaN(previous)) {
          return java.util.OptionalInt.of(atLeast(windows[w], candidates[c]));
        }
        double t = (target - previous) / (r - previous);
        double logCount =
            Math.log(previousCount) + t * (Math.log(candidates[c]) - Math.log(previousCount));
        return java.util.OptionalInt.of(
            atLeast(windows[w], Math.min(candidates[c], Math.ceil(Math.exp(logCount) - 1e-9))));
      }
      previous = r;
      previousCount = candidates[c];
    }
    return java.util.OptionalInt.empty();
  }

  private double recallAtCalibratedWindow(int w, int count) {
    double previous = Double.NaN;
    int previousCount = 0;
    for (int c = 0; c < candidates.length; c++) {
      double r = cautious(w, c);
      if (Double.isNaN(r)) {
        continue;
      }
      if (count <= candidates[c]) {
        if (Double.isNaN(previous) || count == candidates[c]) {
          return r;
        }
        double t = logFraction(count, previousCount, candidates[c]);
        return previous + t * (r - previous);
      }
      previous = r;
      previousCount = candidates[c];
    }
    return previous;
  }

  private int lowerWindow(int window) {
    int lower = 0;
    for (int w = 0; w < windows.length; w++) {
      if (windows[w] <= window) {
        lower = w;
      }
    }
    return lower;
  }

  private int nearestWindow(int window) {
    int best = 0;
    for (int w = 1; w < windows.length; w++) {
      if (Math.abs(Math.log(windows[w]) - Math.log(window))
          < Math.abs(Math.log(windows[best]) - Math.log(window))) {
        best = w;
      }
    }
    return best;
  }

  private int nearestCount(int count) {
    int best = 0;
    for (int c = 1; c < candidates.length; c++) {
      if (Math.abs(candidates[c] - count) < Math.abs(candidates[best] - count)) {
        best = c;
      }
    }
    return best;
  }

  private static double logFraction(double x, double lo, double hi) {
    return (Math.log(x) - Math.log(lo)) / (Math.log(hi) - Math.log(lo));
  }

  private static int atLeast(int window, double count) {
    return (int) Math.max(window, Math.min(Integer.MAX_VALUE / 4, count));
  }

  private static void requireWindow(int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window must be >= 1, got " + window);
    }
  }

  private static void requireAscending(int[] values, String name) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 1 || i > 0 && values[i] <= values[i - 1]) {
        throw new IllegalArgumentException(
            name + " must be positive and ascending: " + Arrays.toString(values));
      }
    }
  }

  private static double[][] deepCopy(double[][] a) {
    double[][] copy = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      copy[i] = a[i].clone();
    }
    return copy;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecallCurve r
        && queries == r.queries
        && Arrays.equals(windows, r.windows)
        && Arrays.equals(candidates, r.candidates)
        && Arrays.deepEquals(recall, r.recall)
        && Arrays.deepEquals(standardError, r.standardError);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        queries,
        Arrays.hashCode(windows),
        Arrays.hashCode(candidates),
        Arrays.deepHashCode(recall),
        Arrays.deepHashCode(standardError));
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("RecallCurve[queries=").append(queries);
    for (int w = 0; w < windows.length; w++) {
      s.append(", @").append(windows[w]).append(':');
      for (int c = 0; c < candidates.length; c++) {
        if (!Double.isNaN(recall[w][c])) {
          s.append(String.format(Locale.ROOT, " %d=%.4f", candidates[c], recall[w][c]));
        }
      }
    }
    return s.append(']').toString();
  }
}
