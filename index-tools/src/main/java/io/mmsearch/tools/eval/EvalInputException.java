package io.mmsearch.tools.eval;

/**
 * The inputs of an evaluation cannot give honest figures: an empty query set, a relevant id that is
 * not in the index, a model that does not match the index. The message names the item and the
 * reason; an evaluation never reports zeroes in place of such an error.
 */
public final class EvalInputException extends RuntimeException {
  public EvalInputException(String message) {
    super(message);
  }

  public EvalInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
