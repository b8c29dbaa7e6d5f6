package io.mmsearch.encoders;

import java.util.List;

/**
 * Turns sentences into L2-normalised embedding vectors in the same space as the {@link
 * ImageEncoder} of the same bundle.
 *
 * <p>Implementations are thread-safe: one instance serves all threads. The caller owns the instance
 * and must {@link #close()} it.
 */
public interface TextEncoder extends AutoCloseable {

  /** Dimension of the vectors this encoder returns. */
  int dimension();

  /**
   * Encodes one text.
   *
   * @throws EncodingException if the text is empty or blank after normalisation
   */
  float[] encode(String text);

  /** Encodes many texts in one model call; one vector per input, in input order. */
  List<float[]> encodeBatch(List<String> texts);

  @Override
  void close();
}
