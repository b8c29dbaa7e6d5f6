package io.mmsearch.encoders.text;

import java.util.Locale;

/**
 * How a token graph's output becomes one vector per text: the one definition that serving and
 * training (backbone features) share.
 *
 * <p>Token graphs output either hidden states {@code [batch, seq, width]} (rank 3), which one of
 * {@link #MEAN}, {@link #CLS} or {@link #EOS} reduces over the sequence, or already one vector per
 * text {@code [batch, width]} (rank 2, {@link #NONE}). Rows are right-padded: the attention mask of
 * a row is 1 for its first {@code length} positions and 0 after.
 *
 * <p>Stateless and thread-safe.
 */
public enum Pooling {
  /**
   * Mean of the hidden states over the attended positions (sentence-transformers' mean pooling,
   * what all-MiniLM-L6-v2 was trained with). Sums in double, so the result does not depend on how
   * much padding follows the row.
   */
  MEAN,
  /** The hidden state of the first position (BERT's {@code [CLS]}). */
  CLS,
  /**
   * The hidden state of the last attended position: the end-of-text token that CLIP-style text
   * towers read (what CLIP's {@code argmax(input_ids)} picks, since its end token has the highest
   * id and truncation keeps it last).
   */
  EOS,
  /** The graph already outputs {@code [batch, width]}; rows are taken as they are. */
  NONE;

  /** The name in {@code bundle.json}: {@code mean}, {@code cls}, {@code eos} or {@code none}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The rank of graph output this pooling reads: 2 for {@link #NONE}, else 3. */
  public int outputRank() {
    return this == NONE ? 2 : 3;
  }

  /**
   * The pooling called {@code name} in {@code bundle.json} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static Pooling fromJsonName(String name) {
    if (name != null) {
      for (Pooling p : values()) {
        if (p.jsonName().equalsIgnoreCase(name.trim())) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException(
        "pooling must be one of mean, cls, eos, none; got " + (name == null ? "nothing" : name));
  }

  /**
   * Pools one graph output.
   *
   * @param output the output, row-major: {@code [rows, seq, width]} for rank-3 poolings, {@code
   *     [rows, width]} for {@link #NONE}
   * @param rows number of texts
   * @param seq sequence length of the batch (ignored for {@link #NONE})
   * @param width hidden size
   * @param lengths number of attended positions per row, each in {@code [1, seq]}
   * @return {@code rows} vectors of {@code width} floats (not normalised)
   */
  public float[][] pool(float[] output, int rows, int seq, int width, int[] lengths) {
    float[][] pooled = new float[rows][];
    for (int r = 0; r < rows; r++) {
      pooled[r] =
          switch (this) {
            case NONE -> slice(output, r * width, width);
            case CLS -> slice(output, r * seq * width, width);
            case EOS -> slice(output, (r * seq + lengths[r] - 1) * width, width);
            case MEAN -> mean(output, r * seq * width, lengths[r], width);
          };
    }
    return pooled;
  }

  private static float[] slice(float[] output, int from, int width) {
    float[] v = new float[width];
    System.arraycopy(output, from, v, 0, width);
    return v;
  }

  private static float[] mean(float[] output, int rowStart, int length, int width) {
    double[] sum = new double[width];
    for (int t = 0; t < length; t++) {
      int base = rowStart + t * width;
      for (int k = 0; k < width; k++) {
        sum[k] += output[base + k];
      }
    }
    float[] v = new float[width];
    for (int k = 0; k < width; k++) {
      v[k] = (float) (sum[k] / length);
    }
    return v;
  }
}
