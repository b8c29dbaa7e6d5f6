package io.mmsearch.training.export;

/**
 * Smallest cosine similarity between DJL (PyTorch) and ONNX Runtime outputs over the checked rows.
 *
 * @param imageRandom on random pixel tensors
 * @param imageReal on real validation (or training) images
 * @param textRandom on random token sequences of random lengths
 * @param textReal on real captions, padded to max tokens and trimmed to the longest caption
 * @param rows rows checked per case
 */
public record ParityReport(
    double imageRandom, double imageReal, double textRandom, double textReal, int rows) {

  /** The cosine every case must reach. */
  public static final double REQUIRED_COSINE = 0.9999;

  /** The smallest of the four. */
  public double min() {
    return Math.min(Math.min(imageRandom, imageReal), Math.min(textRandom, textReal));
  }

  public boolean passes() {
    return min() >= REQUIRED_COSINE;
  }

  @Override
  public String toString() {
    return String.format(
        "min cosine DJL vs ONNX Runtime over %d rows: image random %.6f, image real %.6f,"
            + " text random %.6f, text real %.6f",
        rows, imageRandom, imageReal, textRandom, textReal);
  }
}
