package io.mmsearch.faiss;

import io.mmsearch.lucene.rerank.CandidateBlocks;
import io.mmsearch.lucene.rerank.ExactScorer;

/**
 * Exact inner products through FAISS's BLAS path ({@code faiss::knn_inner_product} with {@code k =
 * count}, which runs OpenBLAS sgemm), called through the JavaCPP binding on the caller's arrays
 * without copying them (they are pinned for the call).
 *
 * <p>Why BLAS for a single query: Debian's libfaiss is a generic x86-64 build whose single-vector
 * kernels ({@code fvec_inner_products_ny}) are plain scalar loops, while OpenBLAS picks
 * AVX2/AVX-512 kernels at run time. {@link NativeFaiss} therefore lowers FAISS's BLAS threshold to
 * one query.
 *
 * <p>Stateless and thread-safe; holds no native memory, so {@link #close()} does nothing.
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
    if (count == 0) {
      return out;
    }
    float[] ranked = new float[count];
    long[] rows = new long[count];
    FaissBinding.knn_inner_product(query, candidates, query.length, 1, count, count, ranked, rows);
    // FAISS returns all candidates ranked; put each score back at its candidate's position.
    for (int i = 0; i < count; i++) {
      out[(int) rows[i]] = ranked[i];
    }
    return out;
  }

  @Override
  public String name() {
    return "faiss";
  }
}
