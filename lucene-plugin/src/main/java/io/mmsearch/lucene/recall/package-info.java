/**
 * Recall you can ask for: an index measures its own vector search and chooses the candidate count a
 * target recall needs.
 *
 * <ul>
 *   <li>{@link io.mmsearch.lucene.recall.RecallCalibrator} measures recall against exact search for
 *       a ladder of candidate counts, on any engine's index through {@link
 *       io.mmsearch.lucene.recall.CalibrationIndex} ({@link
 *       io.mmsearch.lucene.recall.LuceneCalibrationIndex}: a Lucene 10 reader, on its own segment
 *       layout); {@link io.mmsearch.lucene.recall.TextQueries} supplies text-like queries.
 *   <li>{@link io.mmsearch.lucene.recall.RecallCalibration} keeps the measured curves ({@link
 *       io.mmsearch.lucene.recall.RecallCurve}) per {@link io.mmsearch.lucene.recall.QueryKind},
 *       filter selectivity and re-rank, travels as text (commit user data), and answers {@link
 *       io.mmsearch.lucene.recall.CandidateChoice}s: the count for a target, the recall to expect.
 * </ul>
 *
 * Everything but {@code LuceneCalibrationIndex} is Lucene-free, so the Solr plugin (Lucene 9.12)
 * measures and chooses with the same code.
 */
package io.mmsearch.lucene.recall;
