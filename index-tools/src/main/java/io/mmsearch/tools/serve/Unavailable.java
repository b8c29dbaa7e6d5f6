package io.mmsearch.tools.serve;

/**
 * The server cannot answer a request now, though it may shortly: its search ran past its time
 * budget, or it is too busy to queue it. Answered with 503 and {@code Retry-After}; never a sign of
 * a fault (those are 500s), so nothing is logged.
 */
final class Unavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int retryAfterSeconds;

  /**
   * @param message why, for the client
   * @param retryAfterSeconds when to try again
   */
  Unavailable(String message, int retryAfterSeconds) {
    super(message, null, false, false);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
