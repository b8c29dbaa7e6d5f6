package io.mmsearch.encoders;

import io.mmsearch.encoders.bundle.ModelBundle;
import java.util.Objects;

/**
 * The image and text encoders of one bundle, which map into the same vector space. Thread-safe; the
 * caller owns it and {@link #close()} closes both encoders.
 */
public final class DualEncoder implements AutoCloseable {
  private final ModelBundle bundle;
  private final ImageEncoder image;
  private final TextEncoder text;

  /** Takes ownership of both encoders. */
  public DualEncoder(ModelBundle bundle, ImageEncoder image, TextEncoder text) {
    this.bundle = Objects.requireNonNull(bundle, "bundle");
    this.image = Objects.requireNonNull(image, "image");
    this.text = Objects.requireNonNull(text, "text");
  }

  public ModelBundle bundle() {
    return bundle;
  }

  public ImageEncoder image() {
    return image;
  }

  public TextEncoder text() {
    return text;
  }

  /** The vector dimension of both encoders. */
  public int dimension() {
    return bundle.dimension();
  }

  /** The bundle fingerprint, which indexes record to refuse vectors from another model. */
  public String fingerprint() {
    return bundle.fingerprint();
  }

  @Override
  public void close() {
    try {
      image.close();
    } finally {
      text.close();
    }
  }
}
