package io.mmsearch.lucene.rerank;

import org.apache.lucene.util.VectorUtil;

/**
 * Exact inner products in pure Java with Lucene's {@link VectorUtil#dotProduct(float[], float[])}
 * (SIMD through the Panama vector API when the JVM runs with {@code --add-modules
 * jdk.incubator.vector}, scalar otherwise). Stateless and thread-safe; {@link #close()} does
 * nothing.
 */
public final class JavaExactScorer implements ExactScorer {

  @Override
  public float[] innerProducts(float[] query, float[] candidates, int count) {
    CandidateBlocks.check(query, candidates, count);
    int dim = query.length;
    float[] out = new float[count];
    // VectorUtil takes whole arrays, so each row is copied into one scratch vector.
    float[] row = new float[dim];
    for (int i = 0; i < count; i++) {
      System.arraycopy(candidates, i * dim, row, 0, dim);
      out[i] = VectorUtil.dotProduct(query, row);
    }
    return out;
  }

  @Override
  public String name() {
    return "java";
  }
}
