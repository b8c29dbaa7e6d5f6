package io.mmsearch.tools.search;

/** How free text is searched. */
public enum SearchMode {
  /** BM25 over captions and keywords only. */
  KEYWORD,
  /** The text is embedded and searched against the image vectors only. */
  VECTOR,
  /** Both, fused (reciprocal rank fusion unless linear fusion is asked for). */
  HYBRID
}
