package io.mmsearch.encoders.bundle;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.image.ImageInputSpec.ResizePolicy;
import io.mmsearch.encoders.text.TextInputSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * The contents of {@code bundle.json}, field for field (Jackson binds it; names are snake_case in
 * the file). {@link ModelBundle} validates it; this class only carries it.
 *
 * <pre>{@code
 * {
 *   "format_version": 1, "name": "emoji-cnn-bilstm", "fingerprint": "<sha-256 hex>",
 *   "dimension": 128, "similarity": "dot_product",
 *   "image": {"size": 64, "channels": 3, "mean": [...], "std": [...],
 *             "resize": "center_crop", "background": "#FFFFFF"},
 *   "text": {"tokenizer": "word", "vocabulary": "vocab.txt", "max_tokens": 32, "lowercase": true},
 *   "provenance": {"dataset": "...", "epochs": 20, "seed": 42, "metrics": {...}, "created": "..."}
 * }
 * }</pre>
 *
 * @param formatVersion version of this layout; {@value #FORMAT_VERSION} is the only one so far
 * @param name a human-readable model name
 * @param fingerprint {@link BundleFingerprint} of the other files, lower-case hex SHA-256
 * @param dimension length of the embedding vectors both graphs output
 * @param similarity how vectors compare; always {@value #DOT_PRODUCT} (on unit-length vectors)
 * @param image what the image graph expects
 * @param text what the text graph expects
 * @param provenance where the weights came from; may be null
 */
public record BundleDescriptor(
    @JsonProperty(value = "format_version", required = true) int formatVersion,
    @JsonProperty("name") String name,
    @JsonProperty(value = "fingerprint", required = true) String fingerprint,
    @JsonProperty(value = "dimension", required = true) int dimension,
    @JsonProperty(value = "similarity", required = true) String similarity,
    @JsonProperty(value = "image", required = true) Image image,
    @JsonProperty(value = "text", required = true) Text text,
    @JsonProperty("provenance") Provenance provenance) {

  /** The {@code format_version} this code reads and writes. */
  public static final int FORMAT_VERSION = 1;

  /** The only similarity: dot product of L2-normalised vectors (= cosine). */
  public static final String DOT_PRODUCT = "dot_product";

  /** The {@code image} section. */
  public record Image(
      @JsonProperty(value = "size", required = true) int size,
      @JsonProperty(value = "channels", required = true) int channels,
      @JsonProperty(value = "mean", required = true) float[] mean,
      @JsonProperty(value = "std", required = true) float[] std,
      @JsonProperty(value = "resize", required = true) String resize,
      @JsonProperty(value = "background", required = true) String background) {

    /** The section that describes {@code spec}. */
    public static Image of(ImageInputSpec spec) {
      return new Image(
          spec.size(),
          spec.channels(),
          spec.mean(),
          spec.std(),
          resizeName(spec.resize()),
          String.format(Locale.ROOT, "#%06X", spec.background()));
    }

    /**
     * The spec this section declares.
     *
     * @throws IllegalArgumentException naming the field that is invalid
     */
    public ImageInputSpec toSpec() {
      return new ImageInputSpec(
          size, channels, mean, std, resizePolicy(resize), parseBackground(background));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Image i
          && size == i.size
          && channels == i.channels
          && Arrays.equals(mean, i.mean)
          && Arrays.equals(std, i.std)
          && Objects.equals(resize, i.resize)
          && Objects.equals(background, i.background);
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          size, channels, Arrays.hashCode(mean), Arrays.hashCode(std), resize, background);
    }

    @Override
    public String toString() {
      return "Image[size="
          + size
          + ", channels="
          + channels
          + ", mean="
          + Arrays.toString(mean)
          + ", std="
          + Arrays.toString(std)
          + ", resize="
          + resize
          + ", background="
          + background
          + "]";
    }
  }

  /** The {@code text} section. */
  public record Text(
      @JsonProperty(value = "tokenizer", required = true) String tokenizer,
      @JsonProperty(value = "vocabulary", required = true) String vocabulary,
      @JsonProperty(value = "max_tokens", required = true) int maxTokens,
      @JsonProperty(value = "lowercase", required = true) boolean lowercase) {

    public static Text of(TextInputSpec spec) {
      return new Text(spec.tokenizer(), spec.vocabulary(), spec.maxTokens(), spec.lowercase());
    }

    /**
     * The spec this section declares.
     *
     * @throws IllegalArgumentException naming the field that is invalid
     */
    public TextInputSpec toSpec() {
      if (tokenizer == null || vocabulary == null) {
        throw new IllegalArgumentException("text.tokenizer and text.vocabulary are required");
      }
      return new TextInputSpec(tokenizer, vocabulary, maxTokens, lowercase);
    }
  }

  /** The {@code resize} names in {@code bundle.json}. */
  static String resizeName(ResizePolicy policy) {
    return switch (policy) {
      case RESIZE_SHORTER_CENTER_CROP -> "center_crop";
      case RESIZE_LONGER_PAD -> "pad";
      case STRETCH -> "stretch";
    };
  }

  static ResizePolicy resizePolicy(String name) {
    if (name != null) {
      for (ResizePolicy p : ResizePolicy.values()) {
        if (resizeName(p).equals(name) || p.name().equalsIgnoreCase(name)) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException(
        "image.resize must be one of center_crop, pad, stretch; got " + name);
  }

  static int parseBackground(String hex) {
    if (hex == null || !hex.matches("#[0-9A-Fa-f]{6}")) {
      throw new IllegalArgumentException(
          "image.background must be an RGB colour like #FFFFFF; got " + hex);
    }
    return Integer.parseInt(hex.substring(1), 16);
  }
}
