package io.mmsearch.semantics;

import java.util.OptionalInt;

/**
 * How deep a request reads each ranked list and how many nearest neighbours it fetches: the window
 * and candidate arithmetic both engines share.
 *
 * <ul>
 *   <li>{@link #window()} {@code = max(k, from + size)}: each list (keyword, vector) is read to
 *       this depth and fused; hits {@code [from, from + size)} of the fused list are returned. For
 *       a fixed {@code k}, pages are therefore consecutive slices of one ranking.
 *   <li>{@link #candidateCount(OptionalInt)}: how many nearest neighbours the vector search fetches
 *       before the exact re-rank keeps the best {@code window}. This is the one function that
 *       decides it. By default a request asks for a recall ({@link #targetRecall()}, 0.98): the
 *       engine looks up, in its index's own recall calibration ({@link
 *       io.mmsearch.semantics.recall.RecallCalibration}), the count that reaches it for this window
 *       and passes it in. An explicit {@link #numCandidates()} or {@link #oversample()} is the
 *       expert override and wins; with neither and no calibration yet, {@link #DEFAULT_OVERSAMPLE}
 *       per hit.
 * </ul>
 *
 * Every value is validated on construction ({@link InvalidQueryException} naming the setting), and
 * {@code from + size} is computed without overflow. Front ends with a smaller budget check {@link
 * #requireWindowAtMost}.
 *
 * @param k the result window of each list, at least 1
 * @param from 0-based offset of the first returned hit, at least 0
 * @param size number of hits returned, at least 0 (0: totals and facets only)
 * @param numCandidates nearest neighbours to fetch (at least {@code k}), or 0: not set
 * @param oversample candidates per window slot, finite and at least 1, or 0: not set
 * @param targetRecall the recall@window the request asks for, in (0, 1]; decides the count when
 *     neither {@code numCandidates} nor {@code oversample} is set
 */
public record SearchDepth(
    int k, int from, int size, int numCandidates, float oversample, double targetRecall) {

  /**
   * The candidates per hit when neither a count, an oversample nor a calibration decides: 4, the
   * knee {@code bench ann} measured on the first default model (docs/benchmarks.md).
   */
  public static final float DEFAULT_OVERSAMPLE = 4f;

  /** The recall a request asks for unless it says otherwise: 0.98. */
  public static final double DEFAULT_TARGET_RECALL = 0.98;

  /** Depth with an explicit oversample (0: not set) and the default target recall. */
  public SearchDepth(int k, int from, int size, int numCandidates, float oversample) {
    this(k, from, size, numCandidates, oversample, DEFAULT_TARGET_RECALL);
  }

  /**
   * The deepest window any request may ask for, and the most candidates it may fetch: beyond this
   * the arithmetic of Lucene's collectors (arrays of {@code window} entries) is the limit, not the
   * index. Front ends set far smaller caps ({@link #requireWindowAtMost}).
   */
  public static final int MAX_WINDOW = Integer.MAX_VALUE / 4;

  public SearchDepth {
    if (k < 1) {
      throw new InvalidQueryException("k must be >= 1, got " + k);
    }
    if (from < 0) {
      throw new InvalidQueryException("from must be >= 0, got " + from);
    }
    if (size < 0) {
      throw new InvalidQueryException("size must be >= 0, got " + size);
    }
    if (numCandidates < 0) {
      throw new InvalidQueryException("numCandidates must be >= 0, got " + numCandidates);
    }
    if (oversample != 0f && (!(oversample >= 1f) || Float.isInfinite(oversample))) {
      throw new InvalidQueryException(
          "oversample must be finite and >= 1 (or 0: not set), got " + oversample);
    }
    if (!(targetRecall > 0 && targetRecall <= 1)) {
      throw new InvalidQueryException("target recall must be in (0, 1], got " + targetRecall);
    }
    long end = (long) from + size;
    if (end > MAX_WINDOW || k > MAX_WINDOW || numCandidates > MAX_WINDOW) {
      throw new InvalidQueryException(
          "the request reads too deep: k "
              + k
              + ", from + size "
              + end
              + ", numCandidates "
              + numCandidates
              + " (at most "
              + MAX_WINDOW
              + " each)");
    }
    if (numCandidates > 0 && numCandidates < k) {
      throw new InvalidQueryException(
          "numCandidates (" + numCandidates + ") must be >= k (" + k + ")");
    }
  }

  /** k 10, the first page of 10, candidates for the default target recall. */
  public static SearchDepth defaults() {
    return new SearchDepth(10, 0, 10, 0, 0f, DEFAULT_TARGET_RECALL);
  }

  /**
   * True if the candidate count comes from the target recall (neither {@code numCandidates} nor
   * {@code oversample} set): the engine should look it up in its calibration.
   */
  public boolean usesTargetRecall() {
    return numCandidates == 0 && oversample == 0f;
  }

  /** How deep each list is read: {@code max(k, from + size)}. */
  public int window() {
    return Math.max(k, from + size);
  }

  /**
   * How many nearest neighbours the vector search fetches, at most {@link #MAX_WINDOW}, at least
   * the window. In Solr this is the per-shard {@code topK}.
   *
   * <ul>
   *   <li>{@code numCandidates} or {@code oversample} set: {@code max(numCandidates, ceil(window ·
   *       oversample))} (an unset oversample counts as 1);
   *   <li>else the count the engine's recall calibration chose for {@link #targetRecall()} at this
   *       window ({@code calibrated});
   *   <li>else (no calibration yet) {@code ceil(window · DEFAULT_OVERSAMPLE)}.
   * </ul>
   *
   * @param calibrated the calibration's count for this window and target, if the engine has one
   */
  public int candidateCount(OptionalInt calibrated) {
    long count;
    if (!usesTargetRecall()) {
      float perHit = oversample == 0f ? 1f : oversample;
      count = Math.max(numCandidates, (long) Math.ceil(window() * (double) perHit));
    } else if (calibrated.isPresent()) {
      count = Math.max(window(), calibrated.getAsInt());
    } else {
      count = (long) Math.ceil(window() * (double) DEFAULT_OVERSAMPLE);
    }
    return (int) Math.min(MAX_WINDOW, count);
  }

  /** {@link #candidateCount(OptionalInt)} without a calibration. */
  public int candidateCount() {
    return candidateCount(OptionalInt.empty());
  }

  /**
   * Checks the window against a front end's cap.
   *
   * @param maxWindow the deepest window the front end serves
   * @param advice what the user should do instead, appended to the message
   * @throws InvalidQueryException if {@link #window()} exceeds {@code maxWindow}
   */
  public SearchDepth requireWindowAtMost(int maxWindow, String advice) {
    if (window() > maxWindow) {
      throw new InvalidQueryException(
          "the request reads "
              + window()
              + " hits per list (max(k, from + size)), more than the limit of "
              + maxWindow
              + "; "
              + advice);
    }
    return this;
  }
}
