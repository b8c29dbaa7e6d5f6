/**
 * Exact scoring for re-ranking and ground truth: inner products of a query against candidate
 * vectors ({@link io.mmsearch.lucene.rerank.ExactScorer}: FAISS through a JavaCPP binding built
 * during the Maven build, or pure Java with Lucene's {@code VectorUtil}), exhaustive top-k search
 * ({@link io.mmsearch.lucene.rerank.FlatExactIndex}), reading full-precision vectors back from an
 * index whatever its quantized format ({@link io.mmsearch.lucene.rerank.VectorBlock}), and
 * re-ranking kNN candidates ({@link io.mmsearch.lucene.rerank.ExactReranker}). Every path ranks by
 * inner product descending, then doc id ascending. {@link io.mmsearch.lucene.rerank.ExactScorers}
 * picks the configured path; FAISS load failures are reported by {@link
 * io.mmsearch.lucene.rerank.NativeFaiss}, never hidden by a fallback.
 */
package io.mmsearch.lucene.rerank;
