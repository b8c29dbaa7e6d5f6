package io.mmsearch.bench;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Synthetic unit vectors of a stated intrinsic dimension, the shape of real CLIP-style embeddings:
 * a latent point in {@code rank} dimensions (one of {@code clusters} Gaussian centres plus Gaussian
 * spread whose scale decays along the latent axes, as a PCA spectrum does), mapped into {@code dim}
 * dimensions by a fixed random orthonormal basis, plus isotropic noise carrying about {@code noise}
 * of the signal's norm, then L2-normalised. Row {@code i} depends only on the seed and {@code i}.
 * Documents and queries come from the same distribution, from different streams.
 */
final class LowRankVectors {
  private final int dim;
  private final int rank;
  private final double noise;
  private final float[][] basis; // rank x dim, orthonormal rows
  private final float[][] centres; // clusters x rank
  private final double[] axisScale; // rank

  LowRankVectors(int dim, int rank, int clusters, double noise, long seed) {
    if (rank < 1 || rank > dim || clusters < 1 || !(noise >= 0)) {
      throw new IllegalArgumentException(
          "need 1 <= rank <= dim, clusters >= 1, noise >= 0; got rank "
              + rank
              + ", dim "
              + dim
              + ", clusters "
              + clusters
              + ", noise "
              + noise);
    }
    this.dim = dim;
    this.rank = rank;
    this.noise = noise;
    Random random = new Random(seed);
    this.basis = orthonormalRows(rank, dim, random);
    this.axisScale = new double[rank];
    for (int a = 0; a < rank; a++) {
      axisScale[a] = 1 / Math.sqrt(1 + a / 8.0);
    }
    this.centres = new float[clusters][rank];
    for (float[] c : centres) {
      for (int a = 0; a < rank; a++) {
        c[a] = (float) (random.nextGaussian() * axisScale[a]);
      }
    }
  }

  int rank() {
    return rank;
  }

  /** {@code count} unit vectors, row-major, from the stream identified by {@code seed}. */
  float[] sample(int count, long seed) {
    if ((long) count * dim > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(count + " vectors of " + dim + " floats exceed one array");
    }
    float[] out = new float[count * dim];
    double[] latent = new double[rank];
    double noiseSigma = noise * Math.sqrt(signalEnergy() / dim);
    for (int i = 0; i < count; i++) {
      // One stream per row: row i is the same whatever the count.
      SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
      float[] centre = centres[random.nextInt(centres.length)];
      for (int a = 0; a < rank; a++) {
        latent[a] = centre[a] + 0.5 * axisScale[a] * ClusteredVectors.gaussian(random);
      }
      int base = i * dim;
      for (int a = 0; a < rank; a++) {
        float[] axis = basis[a];
        float l = (float) latent[a];
        for (int j = 0; j < dim; j++) {
          out[base + j] += l * axis[j];
        }
      }
      for (int j = 0; j < dim; j++) {
        out[base + j] += (float) (noiseSigma * ClusteredVectors.gaussian(random));
      }
      ClusteredVectors.normalise(out, base, dim);
    }
    return out;
  }

  /** Expected squared norm of the latent part: centre plus spread, summed over the axes. */
  private double signalEnergy() {
    double e = 0;
    for (double s : axisScale) {
      e += s * s * 1.25;
    }
    return e;
  }

  private static float[][] orthonormalRows(int rows, int dim, Random random) {
    float[][] basis = new float[rows][dim];
    for (int r = 0; r < rows; r++) {
      double[] v = new double[dim];
      for (int j = 0; j < dim; j++) {
        v[j] = random.nextGaussian();
      }
      for (int p = 0; p < r; p++) { // Gram-Schmidt against the earlier rows
        double dot = 0;
        for (int j = 0; j < dim; j++) {
          dot += v[j] * basis[p][j];
        }
        for (int j = 0; j < dim; j++) {
          v[j] -= dot * basis[p][j];
        }
      }
      double norm = 0;
      for (double x : v) {
        norm += x * x;
      }
      double inv = 1 / Math.sqrt(norm);
      for (int j = 0; j < dim; j++) {
        basis[r][j] = (float) (v[j] * inv);
      }
    }
    return basis;
  }
}
