package io.mmsearch.encoders.error;

/**
 * The input itself cannot be encoded: a text with no words, bytes that are not a decodable image.
 * Another attempt with the same input fails the same way; only a different input helps. Every other
 * {@link EncodingException} is a failure of the engine or the model (ONNX Runtime, a graph with the
 * wrong output), which a server reports as its own fault rather than the caller's.
 */
public class UnencodableInputException extends EncodingException {
  private static final long serialVersionUID = 1L;

  public UnencodableInputException(String message) {
    super(message);
  }

  public UnencodableInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
