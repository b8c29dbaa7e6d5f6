package io.mmsearch.lucene.rerank;

import java.util.Random;

/** Test vectors: random unit vectors, and "exact" vectors whose inner products are exact floats. */
public final class RandomVectors {
  private RandomVectors() {}

  /** {@code n} random unit vectors, row-major. */
  public static float[] unit(Random random, int n, int dim) {
    float[] data = new float[n * dim];
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (int j = 0; j < dim; j++) {
        float v = (float) random.nextGaussian();
        data[i * dim + j] = v;
        norm += v * v;
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int j = 0; j < dim; j++) {
        data[i * dim + j] *= inv;
      }
    }
    return data;
  }

  /**
   * Components in {-1, -0.75, ..., 1}: every product is a multiple of 1/16 and every partial sum is
   * exactly representable, so any summation order (SIMD, BLAS, scalar) gives the same float and
   * equal scores are real ties.
   */
  public static float[] exact(Random random, int n, int dim) {
    float[] data = new float[n * dim];
    for (int i = 0; i < data.length; i++) {
      data[i] = (random.nextInt(9) - 4) / 4f;
    }
    return data;
  }

  public static float[] row(float[] data, int row, int dim) {
    float[] v = new float[dim];
    System.arraycopy(data, row * dim, v, 0, dim);
    return v;
  }
}
