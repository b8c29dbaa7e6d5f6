package io.mmsearch.encoders;

import java.util.List;

/**
 * Turns encoded image files (PNG, JPEG, ...) into L2-normalised embedding vectors.
 *
 * <p>Implementations are thread-safe: one instance serves all threads. The caller owns the instance
 * and must {@link #close()} it; closing releases native resources (sessions, tensors).
 */
public interface ImageEncoder extends AutoCloseable {

  /** Dimension of the vectors this encoder returns. */
  int dimension();

  /**
   * Encodes one image.
   *
   * @param imageBytes the bytes of an image file, in any supported format
   * @return a unit-length vector of {@link #dimension()} floats
   * @throws EncodingException if the bytes cannot be decoded or the model fails; the message names
   *     the reason
   */
  float[] encode(byte[] imageBytes);

  /**
   * Encodes many images in one model call where the engine allows it.
   *
   * @return one vector per input, in input order
   * @throws EncodingException naming the index of the first image that failed
   */
  List<float[]> encodeBatch(List<byte[]> images);

  @Override
  void close();
}
