package io.mmsearch.semantics;

/**
 * How deep a request reads each ranked list and how many nearest neighbours it fetches: the window
 * and candidate arithmetic both engines share.
 *
 * <ul>
 *   <li>{@link #window()} {@code = max(k, from + size)}: each list (keyword, vector) is read to
 *       this depth and fused; hits {@code [from, from + size)} of the fused list are returned. For
 *       a fixed {@code k}, pages are therefore consecutive slices of one ranking.
 *   <li>{@link #candidateCount()}: how many nearest neighbours the vector search fetches before the
 *       exact re-rank keeps the best {@code window}. This is the one function that decides it (a
 *       "target recall" setting would turn into a count here).
 * </ul>
 *
 * Every value is validated on construction ({@link InvalidQueryException} naming the setting), and
 * {@code from + size} is computed without overflow. Front ends with a smaller budget check {@link
 * #requireWindowAtMost}.
 *
 * @param k the result window of each list, at least 1
 * @param from 0-based offset of the first returned hit, at least 0
 * @param size number of hits returned, at least 0 (0: totals and facets only)
 * @param numCandidates nearest neighbours to fetch (at least {@code k}), or 0 to derive them from
 *     the window
 * @param oversample candidates per window slot, finite and at least 1
 */
public record SearchDepth(int k, int from, int size, int numCandidates, float oversample) {

  /** The default oversample: 4 candidates per hit before the exact re-rank. */
  public static final float DEFAULT_OVERSAMPLE = 4f;

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
    if (!(oversample >= 1f) || Float.isInfinite(oversample)) {
      throw new InvalidQueryException("oversample must be finite and >= 1, got " + oversample);
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

  /** k 10, the first page of 10, candidates derived with the default oversample. */
  public static SearchDepth defaults() {
    return new SearchDepth(10, 0, 10, 0, DEFAULT_OVERSAMPLE);
  }

  /** How deep each list is read: {@code max(k, from + size)}. */
  public int window() {
    return Math.max(k, from + size);
  }

  /**
   * How many nearest neighbours the vector search fetches: {@code max(numCandidates, ceil(window ·
   * oversample))}, at most {@link #MAX_WINDOW}. In Solr this is the per-shard {@code topK}.
   */
  public int candidateCount() {
    long derived = (long) Math.ceil(window() * (double) oversample);
    return (int) Math.min(MAX_WINDOW, Math.max(numCandidates, derived));
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
