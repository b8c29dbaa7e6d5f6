package io.mmsearch.training.export;

/**
 * Smallest cosine similarity between DJL (PyTorch) and ONNX Runtime outputs over the checked rows.
 *
 * @param imageRandom on random pixel tensors
 * @param imageReal on real validation (or training) images
 * @param textRandom on random token sequences of random lengths
 * @param textReal on real captions, padded to max tokens and trimmed to the longest caption
 *     (BiLSTM), or on their backbone features (head)
 * @param textPipeline a head only: the written bundle's whole serving text pipeline (tokenizer,
 *     backbone, pooling, head in ONNX Runtime) on the real captions against the training
 *     computation (cached features, DJL head); NaN when not checked
 * @param rows rows checked per case
 */
public record ParityReport(
    double imageRandom,
    double imageReal,
    double textRandom,
    double textReal,
    double textPipeline,
    double imagePipeline,
    int rows) {

  /** A report without pipeline checks (their figures are {@code NaN} until set). */
  public ParityReport(
      double imageRandom, double imageReal, double textRandom, double textReal, int rows) {
    this(imageRandom, imageReal, textRandom, textReal, Double.NaN, Double.NaN, rows);
  }

  /** This report with the text pipeline figure set. */
  public ParityReport withTextPipeline(double cosine) {
    return new ParityReport(
        imageRandom, imageReal, textRandom, textReal, cosine, imagePipeline, rows);
  }

  /** This report with the image pipeline figure set. */
  public ParityReport withImagePipeline(double cosine) {
    return new ParityReport(
        imageRandom, imageReal, textRandom, textReal, textPipeline, cosine, rows);
  }

  /** The cosine every case must reach. */
  public static final double REQUIRED_COSINE = 0.9999;

  /** The smallest of the figures checked. */
  public double min() {
    double min = Math.min(Math.min(imageRandom, imageReal), Math.min(textRandom, textReal));
    if (!Double.isNaN(textPipeline)) {
      min = Math.min(min, textPipeline);
    }
    return Double.isNaN(imagePipeline) ? min : Math.min(min, imagePipeline);
  }

  public boolean passes() {
    return min() >= REQUIRED_COSINE;
  }

  @Override
  public String toString() {
    return String.format(
            "min cosine DJL vs ONNX Runtime over %d rows: image random %.6f, image real %.6f,"
                + " text random %.6f, text real %.6f",
            rows, imageRandom, imageReal, textRandom, textReal)
        + (Double.isNaN(textPipeline)
            ? ""
            : String.format(", text pipeline (tokenizer to head) %.6f", textPipeline))
        + (Double.isNaN(imagePipeline)
            ? ""
            : String.format(", image pipeline (file to head) %.6f", imagePipeline));
  }
}
