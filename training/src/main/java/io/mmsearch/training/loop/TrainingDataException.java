package io.mmsearch.training.loop;

/**
 * Thrown when a run cannot start because no usable data remains (empty dataset, every item bad,
 * fewer than two training items). The message says how many items were skipped and why.
 */
public class TrainingDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TrainingDataException(String message) {
    super(message);
  }
}
