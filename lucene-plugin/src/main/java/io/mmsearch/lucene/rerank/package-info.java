/**
 * Exact scoring for re-ranking and ground truth. {@link io.mmsearch.lucene.rerank.ExactScorer}
 * computes inner products of a query against a block of candidate vectors and makes the re-rank
 * {@code Query} a host can compose: Lucene's own {@code RescoreTopNQuery} over full-precision
 * vectors for the built-in Java scorer, {@link io.mmsearch.lucene.rerank.ExactRerankQuery} (one
 * block call per query) for scorers contributed as an {@link
 * io.mmsearch.lucene.rerank.ExactScoringProvider} (FAISS, in the {@code mmsearch-faiss} module);
 * {@link io.mmsearch.lucene.rerank.ExactScorers} picks the configured one by name, never falling
 * back silently. Also exhaustive top-k search ({@link io.mmsearch.lucene.rerank.FlatExactIndex})
 * and reading full-precision vectors back from an index whatever its quantized format ({@link
 * io.mmsearch.lucene.rerank.VectorBlock}). Every path ranks by score descending, then doc id
 * ascending ({@link io.mmsearch.lucene.rerank.RankedHits}).
 */
package io.mmsearch.lucene.rerank;
