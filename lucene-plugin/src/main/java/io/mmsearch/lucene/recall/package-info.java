/**
 * Recall you can ask for, on a Lucene 10 index: the parts of the shared calibration ({@link
 * io.mmsearch.semantics.recall}) that read Lucene.
 *
 * <ul>
 *   <li>{@link io.mmsearch.lucene.recall.LuceneCalibrationIndex}: a point-in-time reader as a
 *       calibration target, searched with Lucene's own {@code KnnFloatVectorQuery}, and the
 *       segment-layout signature a calibration is valid for;
 *   <li>{@link io.mmsearch.lucene.recall.IndexCalibration}: how an mmsearch index measures itself
 *       (fields, settings, text-query source), shared by the writer and the searcher;
 *   <li>{@link io.mmsearch.lucene.recall.ReaderCalibrations}: the calibration each reader of a
 *       searcher uses, read from its commit or measured in the background.
 * </ul>
 */
package io.mmsearch.lucene.recall;
