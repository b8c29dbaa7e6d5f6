/**
 * Searching an mmsearch index: the {@link io.mmsearch.lucene.search.MultimodalQuery} object (vector
 * sources, keywords, filters, fusion, pagination), the thread-safe near-real-time {@link
 * io.mmsearch.lucene.search.MultimodalSearcher}, and its {@link
 * io.mmsearch.lucene.search.SearchResults} with per-hit {@link
 * io.mmsearch.lucene.search.HitExplanation}s and class facet counts.
 */
package io.mmsearch.lucene.search;
