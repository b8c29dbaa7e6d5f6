package io.mmsearch.bench;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * Synthetic clustered unit vectors, the stand-in for image embeddings: {@code clusters} random unit
 * centres; each vector is a centre plus Gaussian noise of expected norm {@code spread}, normalised
 * to unit length. Documents and queries are drawn from the same distribution. Deterministic for a
 * given seed. Stateless helpers; the arrays returned belong to the caller.
 */
final class ClusteredVectors {
  private final float[][] centres;
  private final int dimension;
  private final double spread;

  ClusteredVectors(int dimension, int clusters, double spread, long seed) {
    if (dimension < 1 || clusters < 1 || !(spread >= 0)) {
      throw new IllegalArgumentException(
          "need dimension >= 1, clusters >= 1, spread >= 0; got "
              + dimension
              + ", "
              + clusters
              + ", "
              + spread);
    }
    this.dimension = dimension;
    this.spread = spread;
    Random random = new Random(seed);
    this.centres = new float[clusters][dimension];
    for (float[] centre : centres) {
      for (int j = 0; j < dimension; j++) {
        centre[j] = (float) random.nextGaussian();
      }
      normalise(centre, 0, dimension);
    }
  }

  /** {@code count} vectors, row-major in one array, from the stream identified by {@code seed}. */
  float[] sample(int count, long seed) {
    if ((long) count * dimension > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          count + " vectors of " + dimension + " floats exceed one array");
    }
    SplittableRandom random = new SplittableRandom(seed);
    float[] out = new float[count * dimension];
    double sigma = spread / Math.sqrt(dimension);
    for (int i = 0; i < count; i++) {
      float[] centre = centres[random.nextInt(centres.length)];
      int base = i * dimension;
      for (int j = 0; j < dimension; j++) {
        out[base + j] = (float) (centre[j] + sigma * gaussian(random));
      }
      normalise(out, base, dimension);
    }
    return out;
  }

  static double gaussian(SplittableRandom random) {
    // Box-Muller; SplittableRandom has no nextGaussian in Java 21's API surface we rely on.
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Scales {@code dimension} floats from {@code offset} to unit L2 norm, in place. */
  static void normalise(float[] data, int offset, int dimension) {
    double norm = 0;
    for (int j = 0; j < dimension; j++) {
      norm += (double) data[offset + j] * data[offset + j];
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int j = 0; j < dimension; j++) {
      data[offset + j] *= inv;
    }
  }
}
