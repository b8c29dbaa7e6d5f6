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
   * one constant for all three. Hybrid (RRF) because it measured best where keywords are not
   * literally in the documents and close to BM25 where they are: with the shipped default model on
   * the held-out-style validation paraphrases R@10 0.605 against BM25 0.544 and vector 0.211, and
   * R@10 0.99 / 0.95 against BM25's 0.996 / 0.995 on labels / tags (docs/cli.md, "Default mode",
   * has the command). Re-check with that command when the default model changes.
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
