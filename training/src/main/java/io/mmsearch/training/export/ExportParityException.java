package io.mmsearch.training.export;

/** Thrown when exported graphs do not reproduce the trained model; the bundle is not written. */
public class ExportParityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ExportParityException(String message) {
    super(message);
  }
}
