package io.mmsearch.tools.search;

import io.mmsearch.lucene.search.SearchRequest;

/** How the free text of the command line and the HTTP API is searched. */
public enum SearchMode {
  /** BM25 over captions and keywords only. */
  KEYWORD,
  /** The text is embedded and searched against the image vectors only. */
  VECTOR,
  /** Both, fused (reciprocal rank fusion unless linear fusion is asked for). */
  HYBRID;

  /**
   * Adds {@code text} to the request as this mode searches it: as keywords, as a text vector part,
   * or as both. Null or blank text adds nothing.
   */
  public SearchRequest.Builder apply(SearchRequest.Builder request, String text) {
    if (text == null || text.isBlank()) {
      return request;
    }
    if (this != KEYWORD) {
      request.text(text.strip());
    }
    if (this != VECTOR) {
      request.keywords(text.strip());
    }
    return request;
  }
}
