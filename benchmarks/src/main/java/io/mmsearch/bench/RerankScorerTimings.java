package io.mmsearch.bench;

import io.mmsearch.faiss.FaissExactScorer;
import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.lucene.rerank.JavaExactScorer;
import java.util.Arrays;
import java.util.Locale;

/** {@code bench ann --scorer-timings}: the exact re-rank call of each scorer, side by side. */
final class RerankScorerTimings {
  private RerankScorerTimings() {}

  /**
   * Time of one exact re-rank call for 100 and 1000 candidates of 256 dimensions, FAISS and Java
   * interleaved round by round on the same blocks, median of 7 rounds: the measurement behind
   * {@link io.mmsearch.lucene.rerank.ExactScorers#DEFAULT_KIND}.
   */
  static void print(long seed) {
    int d = 256;
    java.util.Random random = new java.util.Random(seed);
    float[] query = new float[d];
    for (int j = 0; j < d; j++) {
      query[j] = (float) random.nextGaussian();
    }
    try (ExactScorer faiss = new FaissExactScorer();
        ExactScorer java = new JavaExactScorer()) {
      for (int count : new int[] {100, 1000}) {
        int calls = Math.max(200, 200_000 / count);
        double[][] rounds = new double[2][7];
        for (int round = 0; round < 7; round++) {
          float[] block = new float[count * d];
          for (int i = 0; i < block.length; i++) {
            block[i] = (float) random.nextGaussian();
          }
          rounds[0][round] = usPerCall(faiss, query, block, count, calls);
          rounds[1][round] = usPerCall(java, query, block, count, calls);
        }
        Arrays.sort(rounds[0]);
        Arrays.sort(rounds[1]);
        String line =
            String.format(
                Locale.ROOT,
                "{\"bench\":\"ann-rerank\",\"candidates\":%d,\"dim\":%d,\"faiss_us\":%.2f,\"java_us\":%.2f}",
                count,
                d,
                rounds[0][3],
                rounds[1][3]);
        System.out.println(line);
      }
    }
  }

  private static double usPerCall(
      ExactScorer scorer, float[] query, float[] block, int count, int calls) {
    float sink = 0;
    for (int i = 0; i < calls / 4; i++) {
      sink += scorer.innerProducts(query, block, count)[0];
    }
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      sink += scorer.innerProducts(query, block, count)[0];
    }
    long elapsed = System.nanoTime() - start;
    if (Float.isNaN(sink)) {
      throw new AssertionError("NaN inner product"); // also keeps the JIT from dropping the calls
    }
    return elapsed / 1e3 / calls;
  }
}
