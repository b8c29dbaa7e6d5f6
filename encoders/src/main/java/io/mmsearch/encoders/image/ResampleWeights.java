package io.mmsearch.encoders.image;

/**
 * Filter taps for resampling one axis: for each output sample, the first source index and the
 * normalised weights of the source samples that contribute to it.
 *
 * <p>The construction follows Pillow's {@code ImagingResample} (which torchvision's {@code
 * antialias=True} reproduces): the bicubic kernel with a = -0.5, stretched by the downscale factor
 * so that shrinking low-passes before sampling. Weights are normalised to sum to one, so a uniform
 * image stays exactly uniform.
 */
final class ResampleWeights {
  private static final double SUPPORT = 2.0;
  private static final double A = -0.5;

  final int[] first;
  final int[] count;
  final float[][] weights;

  private ResampleWeights(int[] first, int[] count, float[][] weights) {
    this.first = first;
    this.count = count;
    this.weights = weights;
  }

  /**
   * Taps for an axis of {@code inSize} source samples resized to {@code scaledSize}, of which only
   * the {@code outCount} samples starting at {@code outOffset} are produced (a centre crop).
   */
  static ResampleWeights of(int inSize, int scaledSize, int outOffset, int outCount) {
    double scale = (double) inSize / scaledSize;
    double filterScale = Math.max(scale, 1.0);
    double support = SUPPORT * filterScale;
    int[] first = new int[outCount];
    int[] count = new int[outCount];
    float[][] weights = new float[outCount][];
    for (int i = 0; i < outCount; i++) {
      double centre = (i + outOffset + 0.5) * scale;
      int min = Math.max((int) Math.floor(centre - support + 0.5), 0);
      int max = Math.min((int) Math.ceil(centre + support + 0.5), inSize);
      double[] w = new double[max - min];
      double sum = 0;
      for (int x = min; x < max; x++) {
        double v = bicubic((x - centre + 0.5) / filterScale);
        w[x - min] = v;
        sum += v;
      }
      float[] normalised = new float[w.length];
      for (int k = 0; k < w.length; k++) {
        normalised[k] = (float) (sum == 0 ? 0 : w[k] / sum);
      }
      first[i] = min;
      count[i] = w.length;
      weights[i] = normalised;
    }
    return new ResampleWeights(first, count, weights);
  }

  private static double bicubic(double x) {
    x = Math.abs(x);
    if (x < 1.0) {
      return ((A + 2.0) * x - (A + 3.0)) * x * x + 1.0;
    }
    if (x < 2.0) {
      return (((x - 5.0) * x + 8.0) * x - 4.0) * A;
    }
    return 0.0;
  }
}
