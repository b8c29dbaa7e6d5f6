package io.mmsearch.encoders;

import io.mmsearch.encoders.error.EncodingException;
import java.util.Objects;

/**
 * The outcome for one item of a batch: a vector, or the error that kept this item (and only this
 * item) from getting one.
 *
 * <p>Immutable. {@link #vector()} hands out the array without copying; it belongs to the caller.
 */
public final class EncodingResult {
  private final float[] vector;
  private final EncodingException error;

  private EncodingResult(float[] vector, EncodingException error) {
    this.vector = vector;
    this.error = error;
  }

  public static EncodingResult of(float[] vector) {
    return new EncodingResult(Objects.requireNonNull(vector, "vector"), null);
  }

  public static EncodingResult failed(EncodingException error) {
    return new EncodingResult(null, Objects.requireNonNull(error, "error"));
  }

  /** Whether the item was encoded. */
  public boolean ok() {
    return error == null;
  }

  /** The unit-length vector, or null if the item failed. */
  public float[] vector() {
    return vector;
  }

  /** Why the item failed (the message names the item), or null if it was encoded. */
  public EncodingException error() {
    return error;
  }

  /** The vector, or throws this item's error. */
  public float[] orThrow() {
    if (error != null) {
      throw error;
    }
    return vector;
  }

  @Override
  public String toString() {
    return ok() ? "EncodingResult[" + vector.length + " floats]" : "EncodingResult[" + error + "]";
  }
}
