package io.mmsearch.lucene.encode;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.ImageEncoder;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.encoders.bundle.ModelIdentity;
import java.util.Objects;

/**
 * A {@link QueryEncoder} over the encoders module's text and image encoders of one model bundle.
 *
 * <p>Does not own the encoders: the caller closes them after the last query. Thread-safe because
 * the encoders are.
 */
public final class BundleQueryEncoder implements QueryEncoder {
  private final TextEncoder textEncoder;
  private final ImageEncoder imageEncoder;
  private final ModelIdentity identity;

  /**
   * @param textEncoder the text encoder, or null if text queries are not supported
   * @param imageEncoder the image encoder, or null if image queries are not supported
   * @param identity the bundle's fingerprint and dimension
   * @throws IllegalArgumentException if an encoder's dimension differs from the identity's
   */
  public BundleQueryEncoder(
      TextEncoder textEncoder, ImageEncoder imageEncoder, ModelIdentity identity) {
    this.identity = Objects.requireNonNull(identity, "identity");
    if (textEncoder == null && imageEncoder == null) {
      throw new IllegalArgumentException("at least one of the text and image encoders is needed");
    }
    if (textEncoder != null && textEncoder.dimension() != identity.dimension()) {
      throw new IllegalArgumentException(
          "text encoder dimension "
              + textEncoder.dimension()
              + " differs from the model's "
              + identity);
    }
    if (imageEncoder != null && imageEncoder.dimension() != identity.dimension()) {
      throw new IllegalArgumentException(
          "image encoder dimension "
              + imageEncoder.dimension()
              + " differs from the model's "
              + identity);
    }
    this.textEncoder = textEncoder;
    this.imageEncoder = imageEncoder;
  }

  /**
   * The query encoder of an opened bundle ({@code Encoders.open(criteria)}): its text and image
   * encoders, and its fingerprint and dimension as the model identity. Does not take ownership: the
   * caller closes the {@link DualEncoder} after the last query.
   */
  public static BundleQueryEncoder of(DualEncoder encoders) {
    return new BundleQueryEncoder(
        encoders.text(),
        encoders.image(),
        new ModelIdentity(encoders.fingerprint(), encoders.dimension()));
  }

  @Override
  public float[] encodeText(String text) {
    if (textEncoder == null) {
      throw new UnsupportedOperationException("no text encoder configured for model " + identity);
    }
    return textEncoder.encode(text);
  }

  @Override
  public float[] encodeImage(byte[] imageBytes) {
    if (imageEncoder == null) {
      throw new UnsupportedOperationException("no image encoder configured for model " + identity);
    }
    return imageEncoder.encode(imageBytes, "query image");
  }

  @Override
  public ModelIdentity identity() {
    return identity;
  }
}
