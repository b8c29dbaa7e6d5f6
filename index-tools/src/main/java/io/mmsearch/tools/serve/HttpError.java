package io.mmsearch.tools.serve;

/**
 * A request the transport itself refuses, with the HTTP status to answer and a message for the
 * person who sent it: a malformed parameter (400), an unknown resource (404), a wrong method (405),
 * an upload over the limit (413) or not an image (415). Never a server fault: those are mapped to
 * 500 by {@link HttpErrorMapping}.
 */
public final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * @param status a 4xx status
   * @param message what was wrong with the request; shown to the client
   */
  public HttpError(int status, String message) {
    super(message, null, false, false);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("an HttpError is a client error (4xx), got " + status);
    }
    this.status = status;
  }

  /** The 4xx status. */
  public int status() {
    return status;
  }
}
