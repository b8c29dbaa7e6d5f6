/**
 * Searching an mmsearch index with Lucene's own parts: the one immutable {@link
 * io.mmsearch.lucene.search.SearchRequest} (vector parts, keywords, filters, fusion, pages,
 * facets), {@link io.mmsearch.lucene.search.QueryVectorMixer} (the request's vector parts resolved
 * and mixed into one unit vector), the thread-safe {@link
 * io.mmsearch.lucene.search.MultimodalSearcher} (searchers, model guard, per-reader state) with the
 * plan of one request behind it ({@code SearchExecution}: kNN and exact re-rank, BM25, fusion, the
 * matched set and its drill-sideways class counts, the page), its {@link
 * io.mmsearch.lucene.search.SearchResults}, and {@link
 * io.mmsearch.lucene.search.ModelCheckingSearcherFactory}, which keeps an index of another model
 * from ever going live. The semantics (mixing, windows, fusion, tie order) are the shared ones of
 * module {@code query-semantics} ({@code io.mmsearch.semantics}). {@link
 * io.mmsearch.lucene.search.InvalidRequestException} marks the failures that are the request's
 * fault.
 */
package io.mmsearch.lucene.search;
