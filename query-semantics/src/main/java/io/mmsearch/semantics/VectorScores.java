package io.mmsearch.semantics;

/**
 * The similarity score of two vectors as both engines report it for mmsearch's {@code DOT_PRODUCT}
 * fields, computed by one function wherever the shared code needs a score it was not handed (the
 * targets a document was not found through, the similarity of two documents in {@link Diversity}).
 * Stateless.
 */
public final class VectorScores {
  private VectorScores() {}

  /**
   * Lucene's {@code DOT_PRODUCT} score of two unit vectors, {@code max((1 + a·b) / 2, 0)}: the dot
   * product summed in double in index order, the score returned as float.
   */
  public static float similarity(float[] a, float[] b) {
    return (float) Math.max((1 + dot(a, b)) / 2, 0);
  }

  /** {@code a·b} in double, in index order; the cosine of two unit vectors. */
  public static double dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException(
          "vectors of " + a.length + " and " + b.length + " dimensions");
    }
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }
}
