package io.mmsearch.lucene.encode;

import io.mmsearch.encoders.DualEncoder;
import io.mmsearch.encoders.ImageEncoder;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.encoders.bundle.ModelIdentity;
import io.mmsearch.encoders.cache.QueryVectorCache;
import java.util.Objects;

/**
 * A {@link QueryEncoder} over the encoders module's text and image encoders of one model bundle,
 * optionally through a {@link QueryVectorCache} (a repeated query text or image is then encoded
 * once).
 *
 * <p>Does not own the encoders or the cache: the caller closes the encoders after the last query
 * (and, if the cache outlives them, invalidates their model in it). Thread-safe because the
 * encoders and the cache are.
 */
public final class BundleQueryEncoder implements QueryEncoder {
  private final TextEncoder textEncoder;
  private final ImageEncoder imageEncoder;
  private final ModelIdentity identity;
  private final QueryVectorCache cache;
  private final boolean lowercase;

  /**
   * @param textEncoder the text encoder, or null if text queries are not supported
   * @param imageEncoder the image encoder, or null if image queries are not supported
   * @param identity the bundle's fingerprint and dimension
   * @throws IllegalArgumentException if an encoder's dimension differs from the identity's
   */
  public BundleQueryEncoder(
      TextEncoder textEncoder, ImageEncoder imageEncoder, ModelIdentity identity) {
    this(textEncoder, imageEncoder, identity, null, false);
  }

  private BundleQueryEncoder(
      TextEncoder textEncoder,
      ImageEncoder imageEncoder,
      ModelIdentity identity,
      QueryVectorCache cache,
      boolean lowercase) {
    this.cache = cache;
    this.lowercase = lowercase;
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

  /**
   * The query encoder of an opened bundle whose vectors go through {@code cache}, keyed by the
   * bundle's fingerprint and its text lower-casing. Takes ownership of neither.
   */
  public static BundleQueryEncoder of(DualEncoder encoders, QueryVectorCache cache) {
    return new BundleQueryEncoder(
        encoders.text(),
        encoders.image(),
        new ModelIdentity(encoders.fingerprint(), encoders.dimension()),
        Objects.requireNonNull(cache, "cache"),
        encoders.bundle().textSpec().lowercase());
  }

  @Override
  public float[] encodeText(String text) {
    if (textEncoder == null) {
      throw new UnsupportedOperationException("no text encoder configured for model " + identity);
    }
    return cache == null
        ? textEncoder.encode(text)
        : cache.text(identity.fingerprint(), lowercase, text, textEncoder::encode);
  }

  @Override
  public float[] encodeImage(byte[] imageBytes) {
    if (imageEncoder == null) {
      throw new UnsupportedOperationException("no image encoder configured for model " + identity);
    }
    return cache == null
        ? imageEncoder.encode(imageBytes, "query image")
        : cache.image(
            identity.fingerprint(), imageBytes, b -> imageEncoder.encode(b, "query image"));
  }

  /** The cache the vectors go through, or null. */
  public QueryVectorCache cache() {
    return cache;
  }

  @Override
  public ModelIdentity identity() {
    return identity;
  }
}
