/**
 * Searching an mmsearch index from the tools: {@link io.mmsearch.tools.search.SearchSession} opens
 * the model and the index once and parses what a user typed into a {@link
 * io.mmsearch.lucene.search.SearchRequest} builder, {@link io.mmsearch.tools.search.SearchMode}
 * says how free text is searched (keywords, vector or both), and {@link
 * io.mmsearch.tools.search.ResultsJson} renders results for {@code --json} and the HTTP API.
 */
package io.mmsearch.tools.search;
