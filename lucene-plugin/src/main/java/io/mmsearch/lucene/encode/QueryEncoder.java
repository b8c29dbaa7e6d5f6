package io.mmsearch.lucene.encode;

import io.mmsearch.encoders.bundle.ModelIdentity;

/**
 * Turns a query (text or image) into a unit-length vector in the index's embedding space.
 *
 * <p>Implementations must be thread-safe. A searcher checks {@link #identity()} against the index's
 * model identity before using the encoder.
 */
public interface QueryEncoder {

  /**
   * Encodes query text.
   *
   * @throws UnsupportedOperationException if this encoder has no text model
   * @throws RuntimeException (for example the encoders module's {@code EncodingException}) if the
   *     text cannot be encoded; the message says why
   */
  float[] encodeText(String text);

  /**
   * Encodes the bytes of an image file.
   *
   * @throws UnsupportedOperationException if this encoder has no image model
   */
  float[] encodeImage(byte[] imageBytes);

  /** The model these vectors come from. */
  ModelIdentity identity();
}
