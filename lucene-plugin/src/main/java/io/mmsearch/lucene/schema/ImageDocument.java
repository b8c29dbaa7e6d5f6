package io.mmsearch.lucene.schema;

import io.mmsearch.manifest.ImageFields;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One image as mmsearch indexes it. Immutable; vectors are copied in and out.
 *
 * <p>Required: {@code id} and the image vector. Everything else is optional. Field limits (term and
 * facet path lengths, stored value size) and vector content (dimension, finiteness, unit length)
 * are checked by {@link DocumentValidator} when the document is indexed, because only the index
 * knows its model dimension and limits.
 */
public final class ImageDocument {
  private final String id;
  private final String uri;
  private final String caption;
  private final List<String> keywords;
  private final String className;
  private final String subclass;
  private final float[] imageVector;
  private final float[] captionVector;
  private final String contentHash;
  private final Integer width;
  private final Integer height;
  private final String mime;

  private ImageDocument(Builder b) {
    this.id = b.id;
    this.uri = b.uri;
    this.caption = b.caption;
    this.keywords = List.copyOf(b.keywords);
    this.className = b.className;
    this.subclass = b.subclass;
    this.imageVector = b.imageVector.clone();
    this.captionVector = b.captionVector == null ? null : b.captionVector.clone();
    this.contentHash = b.contentHash;
    this.width = b.width;
    this.height = b.height;
    this.mime = b.mime;
  }

  /** A builder for a document with the given unique id. */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * A builder holding the text fields of the shared manifest mapping ({@link ImageFields#of}): id,
   * uri, caption, keywords, class and subclass. The caller adds the vectors and what the image
   * bytes tell (content hash, size, media type).
   */
  public static Builder builder(ImageFields fields) {
    return new Builder(fields.id())
        .uri(fields.uri())
        .caption(fields.caption())
        .keywords(fields.keywords())
        .className(fields.className())
        .subclass(fields.subclass());
  }

  /** Unique id; updates and deletes address documents by it. */
  public String id() {
    return id;
  }

  public Optional<String> uri() {
    return Optional.ofNullable(uri);
  }

  public Optional<String> caption() {
    return Optional.ofNullable(caption);
  }

  /** Keywords, possibly empty; never null. */
  public List<String> keywords() {
    return keywords;
  }

  /** The class label (field {@code class}). */
  public Optional<String> className() {
    return Optional.ofNullable(className);
  }

  public Optional<String> subclass() {
    return Optional.ofNullable(subclass);
  }

  /** A copy of the image embedding. */
  public float[] imageVector() {
    return imageVector.clone();
  }

  /** A copy of the caption embedding, if any. */
  public Optional<float[]> captionVector() {
    return Optional.ofNullable(captionVector == null ? null : captionVector.clone());
  }

  public Optional<String> contentHash() {
    return Optional.ofNullable(contentHash);
  }

  /** Width in pixels. */
  public Optional<Integer> width() {
    return Optional.ofNullable(width);
  }

  /** Height in pixels. */
  public Optional<Integer> height() {
    return Optional.ofNullable(height);
  }

  /** Media type, e.g. {@code image/png}. */
  public Optional<String> mime() {
    return Optional.ofNullable(mime);
  }

  // Package-private views without copying, for the schema mapping.
  float[] imageVectorUnsafe() {
    return imageVector;
  }

  float[] captionVectorUnsafe() {
    return captionVector;
  }

  @Override
  public String toString() {
    return "ImageDocument[id=" + id + ", uri=" + uri + ", class=" + className + "]";
  }

  /** Collects the fields of an {@link ImageDocument}. Not thread-safe. */
  public static final class Builder {
    private final String id;
    private String uri;
    private String caption;
    private List<String> keywords = List.of();
    private String className;
    private String subclass;
    private float[] imageVector;
    private float[] captionVector;
    private String contentHash;
    private Integer width;
    private Integer height;
    private String mime;

    private Builder(String id) {
      this.id = id;
    }

    public Builder uri(String uri) {
      this.uri = uri;
      return this;
    }

    public Builder caption(String caption) {
      this.caption = caption;
      return this;
    }

    public Builder keywords(List<String> keywords) {
      this.keywords = List.copyOf(Objects.requireNonNull(keywords, "keywords"));
      return this;
    }

    /** The class label, indexed exactly (filterable and facetable). */
    public Builder className(String className) {
      this.className = className;
      return this;
    }

    public Builder subclass(String subclass) {
      this.subclass = subclass;
      return this;
    }

    /** The image embedding; copied on {@link #build()}. */
    public Builder imageVector(float[] imageVector) {
      this.imageVector = imageVector;
      return this;
    }

    /** The caption embedding; copied on {@link #build()}. */
    public Builder captionVector(float[] captionVector) {
      this.captionVector = captionVector;
      return this;
    }

    public Builder contentHash(String contentHash) {
      this.contentHash = contentHash;
      return this;
    }

    /** Pixel dimensions; both must be positive. */
    public Builder size(int width, int height) {
      this.width = width;
      this.height = height;
      return this;
    }

    public Builder mime(String mime) {
      this.mime = mime;
      return this;
    }

    /**
     * @throws InvalidDocumentException if the id is blank, the image vector is missing, or the
     *     pixel size is not positive
     */
    public ImageDocument build() {
      if (id == null || id.isBlank()) {
        throw new InvalidDocumentException(String.valueOf(id), "id must not be blank");
      }
      if (imageVector == null) {
        throw new InvalidDocumentException(id, "image vector is missing");
      }
      if (width != null && (width <= 0 || height <= 0)) {
        throw new InvalidDocumentException(
            id, "width and height must be positive, got " + width + "x" + height);
      }
      return new ImageDocument(this);
    }
  }
}
