package io.mmsearch.encoders;

import io.mmsearch.encoders.error.EncodingException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns sentences into L2-normalised embedding vectors in the same space as the {@link
 * ImageEncoder} of the same bundle.
 *
 * <p>Implementations are thread-safe: one instance serves all threads. The caller owns the instance
 * and must {@link #close()} it. Do not call {@code encode} after or concurrently with {@code
 * close}.
 *
 * <p>Engines implement {@link #dimension()}, {@link #encode(String)}, {@link #encodeEach(List)} and
 * {@link #close()}; {@link #encodeBatch} derives from those.
 */
public interface TextEncoder extends AutoCloseable {

  /** Dimension of the vectors this encoder returns. */
  int dimension();

  /**
   * Encodes one text. Texts longer than the bundle's {@code max_tokens} tokens are truncated.
   *
   * @return a unit-length vector of {@link #dimension()} floats
   * @throws EncodingException if the text has no tokens after normalisation (empty, blank, only
   *     punctuation or control characters; for a tokenizer.json, nothing besides its special
   *     tokens); the message quotes the start of the text
   */
  float[] encode(String text);

  /**
   * Encodes many texts with one model call for all that have words. A text without words gets its
   * error in its own slot; it never fails the others.
   *
   * @return one result per input, in input order
   * @throws EncodingException only if the model call itself fails, which affects every item
   */
  List<EncodingResult> encodeEach(List<String> texts);

  /**
   * Encodes many texts in one model call, all or nothing.
   *
   * @return one vector per input, in input order
   * @throws EncodingException of the first text that failed, naming its index
   */
  default List<float[]> encodeBatch(List<String> texts) {
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (EncodingResult r : encodeEach(texts)) {
      vectors.add(r.orThrow());
    }
    return vectors;
  }

  @Override
  void close();
}
