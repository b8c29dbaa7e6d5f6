package io.mmsearch.encoders;

import io.mmsearch.encoders.error.EncodingException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns encoded image files (PNG, JPEG, ...) into L2-normalised embedding vectors.
 *
 * <p>Implementations are thread-safe: one instance serves all threads. The caller owns the instance
 * and must {@link #close()} it; closing releases native resources (sessions, tensors). Do not call
 * {@code encode} after or concurrently with {@code close}.
 *
 * <p>Engines implement {@link #dimension()}, {@link #encode(byte[], String)}, {@link
 * #encodeEach(List, List)} and {@link #close()}; the other methods derive from those.
 */
public interface ImageEncoder extends AutoCloseable {

  /** Dimension of the vectors this encoder returns. */
  int dimension();

  /**
   * Encodes one image.
   *
   * @param imageBytes the bytes of an image file, in any supported format
   * @param itemName what to call the image in an error message (a file name, an id)
   * @return a unit-length vector of {@link #dimension()} floats
   * @throws EncodingException if the bytes cannot be decoded or the model fails; the message names
   *     the item and the reason
   */
  float[] encode(byte[] imageBytes, String itemName);

  /** {@link #encode(byte[], String)} with the item called {@code "image"}. */
  default float[] encode(byte[] imageBytes) {
    return encode(imageBytes, "image");
  }

  /**
   * Encodes many images with one model call for all of those that decode. An image that cannot be
   * decoded gets its error in its own slot; it never fails the others.
   *
   * @param images image files
   * @param itemNames one name per image, used in error messages
   * @return one result per input, in input order
   * @throws EncodingException only if the model call itself fails, which affects every item
   */
  List<EncodingResult> encodeEach(List<byte[]> images, List<String> itemNames);

  /**
   * Encodes many images in one model call, all or nothing.
   *
   * @return one vector per input, in input order
   * @throws EncodingException of the first image that failed (its message names it, by default
   *     {@code "image #<index>"})
   */
  default List<float[]> encodeBatch(List<byte[]> images) {
    List<String> names = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      names.add("image #" + i);
    }
    List<float[]> vectors = new ArrayList<>(images.size());
    for (EncodingResult r : encodeEach(images, names)) {
      vectors.add(r.orThrow());
    }
    return vectors;
  }

  @Override
  void close();
}
