/**
 * Exact scoring for re-ranking and ground truth: inner products of a query against candidate
 * vectors ({@link io.mmsearch.lucene.rerank.ExactScorer}), exhaustive top-k search ({@link
 * io.mmsearch.lucene.rerank.FlatExactIndex}), reading full-precision vectors back from an index
 * whatever its quantized format ({@link io.mmsearch.lucene.rerank.VectorBlock}), and re-ranking kNN
 * candidates ({@link io.mmsearch.lucene.rerank.ExactReranker}). Every path ranks by inner product
 * descending, then doc id ascending ({@link io.mmsearch.lucene.rerank.RankedHits}). The pure-Java
 * implementation is built in; others (FAISS, in the {@code mmsearch-faiss} module) plug in as an
 * {@link io.mmsearch.lucene.rerank.ExactScoringProvider}, and {@link
 * io.mmsearch.lucene.rerank.ExactScorers} picks the configured one by name, never falling back
 * silently.
 */
package io.mmsearch.lucene.rerank;
