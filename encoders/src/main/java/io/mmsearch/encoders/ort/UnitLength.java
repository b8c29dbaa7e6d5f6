package io.mmsearch.encoders.ort;

import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.text.WordTokenizer;

/**
 * Scales vectors to unit L2 length. Bundle graphs already end in an L2 normalisation; doing it
 * again here costs one pass over {@code D} floats and keeps the {@code ImageEncoder}/{@code
 * TextEncoder} promise for graphs a user brings that end without one, or whose norm drifts by float
 * rounding.
 */
final class UnitLength {
  private UnitLength() {}

  /**
   * Normalises {@code v} in place.
   *
   * @return false, leaving {@code v} unchanged, if it has a non-finite entry or zero length
   */
  static boolean normalise(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (!(sum > 0) || !Double.isFinite(sum)) {
      return false;
    }
    float inv = (float) (1.0 / Math.sqrt(sum));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return true;
  }

  /**
   * {@code v} normalised as the result for text {@code index}, or its failure naming the graph and
   * the text.
   */
  static EncodingResult textResult(float[] v, String fileName, int index, String text) {
    return normalise(v)
        ? EncodingResult.of(v)
        : EncodingResult.failed(
            textNotNormalisable(fileName, "text #" + index + " " + WordTokenizer.excerpt(text)));
  }

  /** The error for a text whose vector {@link #normalise} refused. */
  static EncodingException textNotNormalisable(String fileName, String text) {
    return new EncodingException(
        fileName
            + " returned a vector that cannot be L2-normalised (zero or not finite) for "
            + text);
  }
}
