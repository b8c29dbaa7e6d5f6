/**
 * Retrieval-quality evaluation behind {@code mmsearch eval}: the query-set format, the ranking
 * metrics (Recall@k, MRR, nDCG@10), zero-shot class accuracy, the result lines and the chart.
 *
 * <p>Everything here works on ranked lists of document ids and plain vectors, so it is testable
 * without an index; {@link io.mmsearch.tools.EvalCommand} feeds it from a Lucene index searched
 * through the lucene-plugin API.
 */
package io.mmsearch.tools.eval;
