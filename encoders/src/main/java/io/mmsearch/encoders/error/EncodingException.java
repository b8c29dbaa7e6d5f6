package io.mmsearch.encoders.error;

/**
 * Thrown when an input cannot be turned into a vector. The message always names the item (file,
 * index in a batch, or a short excerpt of the text) and the reason.
 */
public class EncodingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EncodingException(String message) {
    super(message);
  }

  public EncodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
