package io.mmsearch.tools.serve;

import java.util.List;

/**
 * A request the transport itself refuses, with the HTTP status to answer and a message for the
 * person who sent it: a malformed parameter (400), an unknown resource (404), a wrong method (405),
 * an upload over the limit (413) or not an image (415). Never a server fault: those are mapped to
 * 500 by {@link HttpErrorMapping}.
 */
public final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final List<String> allowedMethods;

  /**
   * @param status a 4xx status
   * @param message what was wrong with the request; shown to the client
   */
  public HttpError(int status, String message) {
    this(status, message, List.of());
  }

  private HttpError(int status, String message, List<String> allowedMethods) {
    super(message, null, false, false);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("an HttpError is a client error (4xx), got " + status);
    }
    this.status = status;
    this.allowedMethods = List.copyOf(allowedMethods);
  }

  /** A 405 for a request whose method is not one of {@code allowed} (sent as {@code Allow}). */
  public static HttpError methodNotAllowed(String method, String... allowed) {
    return new HttpError(
        405,
        "method " + method + " is not allowed here; use " + String.join(" or ", allowed),
        List.of(allowed));
  }

  /** The methods the resource allows, for the {@code Allow} header of a 405; else empty. */
  public List<String> allowedMethods() {
    return allowedMethods;
  }

  /** The 4xx status. */
  public int status() {
    return status;
  }
}
