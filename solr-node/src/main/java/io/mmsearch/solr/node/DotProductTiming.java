package io.mmsearch.solr.node;

import java.util.Arrays;
import org.apache.lucene.util.VectorUtil;

/**
 * Times Lucene's {@link VectorUtil#dotProduct(float[], float[])} in this JVM (the nodes' Lucene,
 * 9.12), for {@code mmsearch bench cloud}: whether Lucene uses the JDK's vector API here shows in
 * the time. Prints {@code dot_product_ns <dimension> <median ns per call>}.
 *
 * <pre>{@code java -cp <solr-node classpath> io.mmsearch.solr.node.DotProductTiming 256}</pre>
 */
public final class DotProductTiming {
  private DotProductTiming() {}

  public static void main(String[] args) {
    int dim = args.length > 0 ? Integer.parseInt(args[0]) : 256;
    System.out.println("dot_product_ns " + dim + " " + medianNanos(dim));
  }

  /** Median over 7 rounds of the mean time of one call, after a warm-up, in nanoseconds. */
  public static double medianNanos(int dim) {
    float[][] a = new float[64][dim];
    float[][] b = new float[64][dim];
    for (int i = 0; i < 64; i++) {
      for (int j = 0; j < dim; j++) {
        a[i][j] = (float) Math.sin(i * 31 + j);
        b[i][j] = (float) Math.cos(i * 17 + j);
      }
    }
    double sink = 0;
    int calls = 2_000_000;
    double[] rounds = new double[7];
    for (int r = -3; r < rounds.length; r++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        sink += VectorUtil.dotProduct(a[i & 63], b[(i >> 6) & 63]);
      }
      if (r >= 0) {
        rounds[r] = (System.nanoTime() - t0) / (double) calls;
      }
    }
    if (sink == 42) {
      System.out.print("");
    }
    Arrays.sort(rounds);
    return rounds[rounds.length / 2];
  }
}
