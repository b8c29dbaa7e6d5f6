/**
 * Recall you can ask for, on Solr: each core measures its own vector search ({@link
 * io.mmsearch.solr.recall.CoreCalibrations}, the engine-neutral calibration of {@code
 * io.mmsearch.semantics.recall} over a Lucene 9.12 reader) and {@code {!mmknn}} fetches the
 * candidates the request's target recall needs on that shard.
 */
package io.mmsearch.solr.recall;
