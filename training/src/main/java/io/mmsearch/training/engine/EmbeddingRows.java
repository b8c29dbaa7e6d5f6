package io.mmsearch.training.engine;

import java.util.Arrays;

/** Splits a tower's row-major {@code [rows, dim]} output into one array per input. */
final class EmbeddingRows {
  private EmbeddingRows() {}

  static float[][] split(float[] flat, int rows, int dim) {
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) {
      out[r] = Arrays.copyOfRange(flat, r * dim, (r + 1) * dim);
    }
    return out;
  }
}
