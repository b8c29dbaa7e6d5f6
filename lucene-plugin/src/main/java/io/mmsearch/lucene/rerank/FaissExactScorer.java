package io.mmsearch.lucene.rerank;

/**
 * Exact inner products through FAISS ({@code faiss::fvec_inner_products_ny}, SIMD C++), called
 * through the JavaCPP binding on the caller's arrays without copying them. Stateless and
 * thread-safe; holds no native memory, so {@link #close()} does nothing.
 */
public final class FaissExactScorer implements ExactScorer {

  /**
   * Loads the native library.
   *
   * @throws FaissUnavailableException if FAISS cannot be loaded (the message says why)
   */
  public FaissExactScorer() {
    NativeFaiss.ensureLoaded();
  }

  @Override
  public float[] innerProducts(float[] query, float[] candidates, int count) {
    CandidateBlocks.check(query, candidates, count);
    float[] out = new float[count];
    if (count > 0) {
      FaissBinding.fvec_inner_products_ny(out, query, candidates, query.length, count);
    }
    return out;
  }

  @Override
  public String name() {
    return "faiss";
  }
}
