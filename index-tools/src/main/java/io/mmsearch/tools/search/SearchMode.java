package io.mmsearch.tools.search;

import io.mmsearch.lucene.search.SearchRequest;
import io.mmsearch.semantics.InvalidQueryException;
import java.util.Locale;

/** How the free text of the command line, the HTTP API and the web page is searched. */
public enum SearchMode {
  /** BM25 over captions and keywords only. */
  KEYWORD,
  /** The text is embedded and searched against the image vectors only. */
  VECTOR,
  /** Both, fused (reciprocal rank fusion unless linear fusion is asked for). */
  HYBRID;

  /**
   * The mode of {@code mmsearch search}, {@code /api/search} and the web page when none is given:
   * one constant for all three. Hybrid (RRF) because it measured best: on the paraphrase sets of
   * docs/quality.md ({@code scripts/data/run-quality.sh}) RRF reached R@10 / nDCG@10 0.568 / 0.405
   * against BM25 0.547 / 0.397 and vector 0.119 / 0.072 (held-out style) and 0.694 / 0.548 against
   * 0.581 / 0.482 and 0.400 / 0.218 (held-out concepts); see docs/cli.md, "Default mode", for the
   * check with the shipped default model. Re-check when the default model changes.
   */
  public static final SearchMode DEFAULT = HYBRID;

  /**
   * The mode a user names ({@code keyword}, {@code vector}, {@code hybrid}, any case); {@link
   * #DEFAULT} for null.
   *
   * @throws InvalidQueryException for any other name
   */
  public static SearchMode named(String name) {
    if (name == null) {
      return DEFAULT;
    }
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidQueryException("mode must be keyword, vector or hybrid, got '" + name + "'");
    }
  }

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
