/**
 * Searching an mmsearch index with Lucene's own parts: the one immutable {@link
 * io.mmsearch.lucene.search.SearchRequest} (vector parts, keywords, filters, {@link
 * io.mmsearch.lucene.search.Fusion}, pages, facets), {@link
 * io.mmsearch.lucene.search.QueryVectorMixer} (the request's vector parts to one unit vector), the
 * thread-safe {@link io.mmsearch.lucene.search.MultimodalSearcher} (kNN, exact re-rank query, BM25,
 * {@code TopDocs.rrf} or linear fusion, drill-sideways class counts) and its {@link
 * io.mmsearch.lucene.search.SearchResults}, and {@link
 * io.mmsearch.lucene.search.ModelCheckingSearcherFactory}, which keeps an index of another model
 * from ever going live, and {@link io.mmsearch.lucene.search.SwappingReferenceManager}, which
 * switches a running application to another searcher (another index, another model) without a gap.
 * {@link io.mmsearch.lucene.search.InvalidRequestException} marks the failures that are the
 * request's fault.
 */
package io.mmsearch.lucene.search;
