package io.mmsearch.training.loop;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Recall@1/5/10 in both directions over a validation set: for each caption, is an image of the same
 * concept among the k most similar images (text-to-image), and for each image, is a caption of the
 * same concept among the k most similar captions (image-to-text). Counting any item of the same
 * concept as a hit matches the loss, which never treats same-concept pairs as negatives.
 *
 * @param textToImage recall at 1, 5 and 10, in [0, 1]
 * @param imageToText recall at 1, 5 and 10, in [0, 1]
 */
public record RetrievalMetrics(
    @JsonProperty("textToImage") double[] textToImage,
    @JsonProperty("imageToText") double[] imageToText) {

  /** The cut-offs reported. */
  public static final int[] KS = {1, 5, 10};

  /** Keeps copies of the arrays. */
  public RetrievalMetrics {
    textToImage = textToImage.clone();
    imageToText = imageToText.clone();
  }

  /**
   * Computes recall from row-major unit vectors.
   *
   * @param images {@code n x dim} image embeddings
   * @param texts {@code n x dim} caption embeddings, caption {@code i} belongs to image {@code i}
   * @param concepts concept of item {@code i}
   * @param dim the embedding dimension
   */
  public static RetrievalMetrics compute(float[] images, float[] texts, long[] concepts, int dim) {
    int n = concepts.length;
    double[] t2i = new double[KS.length];
    double[] i2t = new double[KS.length];
    float[] scores = new float[n];
    for (int direction = 0; direction < 2; direction++) {
      float[] queries = direction == 0 ? texts : images;
      float[] targets = direction == 0 ? images : texts;
      double[] out = direction == 0 ? t2i : i2t;
      for (int q = 0; q < n; q++) {
        for (int t = 0; t < n; t++) {
          float s = 0;
          for (int d = 0; d < dim; d++) {
            s += queries[q * dim + d] * targets[t * dim + d];
          }
          scores[t] = s;
        }
        // Rank of the best-scoring relevant target = number of irrelevant targets scoring higher.
        float best = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < n; t++) {
          if (concepts[t] == concepts[q]) {
            best = Math.max(best, scores[t]);
          }
        }
        int better = 0;
        for (int t = 0; t < n; t++) {
          if (concepts[t] != concepts[q] && scores[t] > best) {
            better++;
          }
        }
        for (int k = 0; k < KS.length; k++) {
          if (better < KS[k]) {
            out[k]++;
          }
        }
      }
      for (int k = 0; k < KS.length; k++) {
        out[k] /= n;
      }
    }
    return new RetrievalMetrics(t2i, i2t);
  }

  /** Mean of the six recalls: the validation score that selects the best checkpoint. */
  public double meanRecall() {
    double sum = 0;
    for (int k = 0; k < KS.length; k++) {
      sum += textToImage[k] + imageToText[k];
    }
    return sum / (2 * KS.length);
  }

  public double textToImageAt1() {
    return textToImage[0];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetrievalMetrics m
        && java.util.Arrays.equals(textToImage, m.textToImage)
        && java.util.Arrays.equals(imageToText, m.imageToText);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(textToImage) + java.util.Arrays.hashCode(imageToText);
  }

  @Override
  public String toString() {
    return "RetrievalMetrics[t2i R@1/5/10="
        + java.util.Arrays.toString(textToImage)
        + ", i2t R@1/5/10="
        + java.util.Arrays.toString(imageToText)
        + "]";
  }
}
