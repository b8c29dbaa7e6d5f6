/**
 * The query-vector cache ({@link io.mmsearch.encoders.cache.QueryVectorCache}): vectors of query
 * texts and images, keyed by model fingerprint, shared by a process's query paths (the embedded
 * searcher's encoder, the Solr component).
 */
package io.mmsearch.encoders.cache;
