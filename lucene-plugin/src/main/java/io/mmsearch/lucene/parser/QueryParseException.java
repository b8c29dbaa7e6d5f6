package io.mmsearch.lucene.parser;

import io.mmsearch.lucene.search.InvalidRequestException;

/**
 * A query string could not be parsed. The message starts with {@code "column N: "} and says why;
 * {@link #column()} gives N (1-based; 0 if the position is unknown).
 */
public class QueryParseException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  private final int column;

  public QueryParseException(int column, String reason, Throwable cause) {
    super((column > 0 ? "column " + column + ": " : "") + reason, cause);
    this.column = column;
  }

  /** 1-based column of the offending token, or 0 if unknown. */
  public int column() {
    return column;
  }
}
