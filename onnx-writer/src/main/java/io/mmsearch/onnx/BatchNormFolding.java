package io.mmsearch.onnx;

/**
 * Folds an inference-mode BatchNormalization into the Conv before it, so the exported graph needs
 * no BatchNormalization node: with {@code s = gamma / sqrt(var + eps)} per output channel, {@code
 * W' = W * s} and {@code b' = (b - mean) * s + beta}.
 *
 * <p>Stateless; the arguments are not modified.
 */
public final class BatchNormFolding {

  /** The weights and bias of a Conv with a BatchNormalization folded in. */
  public record FoldedConv(float[] weight, float[] bias) {}

  private BatchNormFolding() {}

  /**
   * @param convWeight Conv weight {@code [M, C, kH, kW]} flattened row-major
   * @param convBias Conv bias {@code [M]}, or null if the Conv has none
   * @param gamma BN scale {@code [M]}
   * @param beta BN shift {@code [M]}
   * @param runningMean BN running mean {@code [M]}
   * @param runningVar BN running variance {@code [M]}
   * @param epsilon BN epsilon (PyTorch's default is 1e-5)
   * @return new arrays: the folded weight {@code [M, C, kH, kW]} and bias {@code [M]}
   * @throws IllegalArgumentException if the sizes do not agree
   */
  public static FoldedConv fold(
      float[] convWeight,
      float[] convBias,
      float[] gamma,
      float[] beta,
      float[] runningMean,
      float[] runningVar,
      float epsilon) {
    int channels = gamma.length;
    if (channels == 0
        || beta.length != channels
        || runningMean.length != channels
        || runningVar.length != channels
        || (convBias != null && convBias.length != channels)) {
      throw new IllegalArgumentException(
          "BatchNorm folding: gamma, beta, mean, variance and conv bias must all have one value per"
              + " output channel ("
              + channels
              + ")");
    }
    if (convWeight.length % channels != 0) {
      throw new IllegalArgumentException(
          "BatchNorm folding: conv weight has "
              + convWeight.length
              + " values, not a multiple of "
              + channels
              + " output channels");
    }
    int perChannel = convWeight.length / channels;
    float[] weight = new float[convWeight.length];
    float[] bias = new float[channels];
    for (int m = 0; m < channels; m++) {
      // double keeps the folded values as close as possible to the two-step float computation
      double scale = gamma[m] / Math.sqrt((double) runningVar[m] + epsilon);
      for (int k = 0; k < perChannel; k++) {
        weight[m * perChannel + k] = (float) (convWeight[m * perChannel + k] * scale);
      }
      double b = convBias == null ? 0 : convBias[m];
      bias[m] = (float) ((b - runningMean[m]) * scale + beta[m]);
    }
    return new FoldedConv(weight, bias);
  }
}
