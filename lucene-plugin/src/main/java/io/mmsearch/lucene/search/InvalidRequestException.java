package io.mmsearch.lucene.search;

import io.mmsearch.semantics.InvalidQueryException;

/**
 * A search request that cannot run because of what it asks for: nothing to search for, a number out
 * of range, a query string that does not parse, a document to find more like that does not exist.
 * The message says what and why, in words fit for the person who made the request.
 *
 * <p>Only the request's author can fix it, so servers answer it with a client error (HTTP 400);
 * every other exception out of a search is a fault of the server or the index. It extends the
 * shared {@link InvalidQueryException} (what the query semantics throw, in the embedded index and
 * in Solr alike), an {@link IllegalArgumentException}, because that is what the request was.
 */
public class InvalidRequestException extends InvalidQueryException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message);
  }

  public InvalidRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
