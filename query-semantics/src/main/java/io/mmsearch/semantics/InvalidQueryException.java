package io.mmsearch.semantics;

/**
 * A request that cannot run because of what it asks for: a number out of range, a vector of the
 * wrong dimension, nothing to search for. The message names the setting and the reason, in words
 * fit for the person who made the request; servers answer it with a client error (HTTP 400).
 *
 * <p>It extends {@link IllegalArgumentException} because that is what the request was. The embedded
 * index's {@code InvalidRequestException} extends it.
 */
public class InvalidQueryException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidQueryException(String message) {
    super(message);
  }

  public InvalidQueryException(String message, Throwable cause) {
    super(message, cause);
  }
}
