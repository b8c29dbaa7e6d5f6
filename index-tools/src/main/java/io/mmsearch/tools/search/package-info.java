/**
 * Searching an mmsearch index from the tools: {@link io.mmsearch.tools.search.SearchSession} opens
 * the model and the index once, {@link io.mmsearch.tools.search.SearchRequest} turns what a user
 * typed (command-line options or HTTP parameters) into a {@link
 * io.mmsearch.lucene.search.MultimodalQuery}, and {@link io.mmsearch.tools.search.ResultsJson}
 * renders results for {@code --json} and the HTTP API.
 */
package io.mmsearch.tools.search;
