/**
 * Recall you can ask for: an index measures its own vector search and chooses the candidate count a
 * target recall needs. Lucene-free, so the embedded index (Lucene 10) and the Solr plugin (Lucene
 * 9.12) measure and choose with the same code.
 *
 * <ul>
 *   <li>{@link io.mmsearch.semantics.recall.RecallCalibrator} measures recall against exact search
 *       for a ladder of candidate counts on any engine's index through {@link
 *       io.mmsearch.semantics.recall.CalibrationIndex}; {@link
 *       io.mmsearch.semantics.recall.TextQueries} supplies text-like queries, {@link
 *       io.mmsearch.semantics.recall.RandomSubset} the filters of a given selectivity.
 *   <li>{@link io.mmsearch.semantics.recall.RecallCalibration} keeps the measured curves ({@link
 *       io.mmsearch.semantics.recall.RecallCurve}) per {@link
 *       io.mmsearch.semantics.recall.QueryKind}, filter selectivity and re-rank, travels as text
 *       (commit user data, collection properties), and answers {@link
 *       io.mmsearch.semantics.recall.CandidateChoice}s: the count for a target, the recall to
 *       expect.
 * </ul>
 */
package io.mmsearch.semantics.recall;
