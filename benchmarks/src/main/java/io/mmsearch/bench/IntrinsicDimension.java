package io.mmsearch.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * A linear estimate of a vector set's intrinsic dimension: the number of principal components that
 * explain a given share of the variance, computed from the covariance of a random sample of rows.
 * Readers use it to place a data set between "few effective dimensions" (real embeddings, easy for
 * a graph) and "all dimensions used" (uniform noise, hard).
 */
final class IntrinsicDimension {
  private IntrinsicDimension() {}

  /**
   * The number of principal components explaining {@code share} of the variance of up to {@code
   * sampleRows} rows of {@code data} (drawn with {@code seed}).
   */
  static int pca(float[] data, int rows, int dim, double share, int sampleRows, long seed) {
    int n = Math.min(rows, sampleRows);
    int[] picked = new int[n];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      picked[i] = n == rows ? i : random.nextInt(rows);
    }
    double[] mean = new double[dim];
    for (int r : picked) {
      for (int j = 0; j < dim; j++) {
        mean[j] += data[r * dim + j];
      }
    }
    for (int j = 0; j < dim; j++) {
      mean[j] /= n;
    }
    double[][] cov = new double[dim][dim];
    double[] centred = new double[dim];
    for (int r : picked) {
      for (int j = 0; j < dim; j++) {
        centred[j] = data[r * dim + j] - mean[j];
      }
      for (int a = 0; a < dim; a++) {
        double ca = centred[a];
        double[] row = cov[a];
        for (int b = a; b < dim; b++) {
          row[b] += ca * centred[b];
        }
      }
    }
    for (int a = 0; a < dim; a++) {
      for (int b = a; b < dim; b++) {
        cov[a][b] /= n;
        cov[b][a] = cov[a][b];
      }
    }
    // The covariance is symmetric positive semi-definite: its singular values are its
    // eigenvalues, and the SVD converges where the symmetric eigensolver may not (rank-deficient
    // sets such as augmented copies of a few thousand images).
    double[] eigenvalues =
        new SingularValueDecomposition(new Array2DRowRealMatrix(cov, false)).getSingularValues();
    double[] sorted = Arrays.stream(eigenvalues).map(v -> Math.max(0, v)).sorted().toArray();
    double total = Arrays.stream(sorted).sum();
    double covered = 0;
    for (int c = 1; c <= dim; c++) {
      covered += sorted[dim - c];
      if (covered >= share * total) {
        return c;
      }
    }
    return dim;
  }
}
