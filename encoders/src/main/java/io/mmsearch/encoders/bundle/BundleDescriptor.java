package io.mmsearch.encoders.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.mmsearch.encoders.image.ImageBackboneSpec;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.image.ImageInputSpec.ResizePolicy;
import io.mmsearch.encoders.text.BackboneSpec;
import io.mmsearch.encoders.text.Pooling;
import io.mmsearch.encoders.text.TextInputSpec;
import io.mmsearch.encoders.text.TokenGraphSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The contents of {@code bundle.json}, field for field (Jackson binds it; names are snake_case in
 * the file). {@link ModelBundle} validates it; this class only carries it. {@code
 * docs/bundle-format.md} documents every field.
 *
 * <pre>{@code
 * {
 *   "format_version": 2, "name": "emoji-minilm", "fingerprint": "<sha-256 hex>",
 *   "dimension": 256, "similarity": "dot_product",
 *   "image": {"size": 64, "channels": 3, "mean": [...], "std": [...],
 *             "resize": "center_crop", "background": "#FFFFFF"},
 *   "text": {"tokenizer": "huggingface", "vocabulary": "tokenizer.json", "max_tokens": 128,
 *            "lowercase": false,
 *            "backbone": {"name": "sentence-transformers/all-MiniLM-L6-v2",
 *                         "file": "all-minilm-l6-v2.onnx", "sha256": "...", "size": 90387606,
 *                         "source": "...", "inputs": {"input_ids": "input_ids", ...},
 *                         "output": "last_hidden_state", "pooling": "mean", "dimension": 384}},
 *   "checksums": {"files": {...}, "settings": {...}},
 *   "provenance": {"dataset": "...", "epochs": 20, "seed": 42, "metrics": {...}, "created": "..."}
 * }
 * }</pre>
 *
 * @param formatVersion version of this layout: {@value #FORMAT_VERSION_2}, or {@value
 *     #FORMAT_VERSION} when the image side references a backbone (both written and read); {@value
 *     #FORMAT_VERSION_1} (read)
 * @param name a human-readable model name
 * @param fingerprint {@link BundleFingerprint} of the bundle, lower-case hex SHA-256
 * @param dimension length of the embedding vectors both graphs output
 * @param similarity how vectors compare; always {@value #DOT_PRODUCT} (on unit-length vectors)
 * @param image what the image graph expects
 * @param text what the text pipeline expects
 * @param checksums per-file and per-setting digests that name what changed when the fingerprint
 *     does not match (format 2; diagnostic only, not part of the fingerprint); may be null
 * @param provenance where the weights came from; may be null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleDescriptor(
    @JsonProperty(value = "format_version", required = true) int formatVersion,
    @JsonProperty("name") String name,
    @JsonProperty("fingerprint") String fingerprint,
    @JsonProperty(value = "dimension", required = true) int dimension,
    @JsonProperty(value = "similarity", required = true) String similarity,
    @JsonProperty(value = "image", required = true) Image image,
    @JsonProperty(value = "text", required = true) Text text,
    @JsonProperty("checksums") Checksums checksums,
    @JsonProperty("provenance") Provenance provenance) {

  /**
   * The newest {@code format_version} this code reads and writes: format 2 plus {@code
   * image.backbone}. Written only by bundles that declare an image backbone, so that others stay
   * readable by format-2 readers.
   */
  public static final int FORMAT_VERSION = 3;

  /** Settings in the fingerprint, tokenizer.json and text backbones. Still written and read. */
  public static final int FORMAT_VERSION_2 = 2;

  /** The first format: fingerprint over the files only, word tokenizer only. Still read. */
  public static final int FORMAT_VERSION_1 = 1;

  /** The only similarity: dot product of L2-normalised vectors (= cosine). */
  public static final String DOT_PRODUCT = "dot_product";

  /** The default image graph input name. */
  public static final String PIXELS = "pixels";

  /** The default output name of both graphs. */
  public static final String EMBEDDING = "embedding";

  /** The default input name of a head behind an image backbone. */
  public static final String FEATURES = "features";

  /** The format a descriptor needs: {@value #FORMAT_VERSION} with an image backbone, else 2. */
  public static int formatNeeded(com.fasterxml.jackson.databind.JsonNode descriptor) {
    return descriptor.path("image").hasNonNull("backbone") ? FORMAT_VERSION : FORMAT_VERSION_2;
  }

  /**
   * The {@code image} section.
   *
   * @param input the graph's input name; null means {@value #PIXELS}, or {@value #FEATURES} for a
   *     head behind a backbone
   * @param output the graph's output name; null means {@value #EMBEDDING}
   * @param backbone the frozen backbone before an {@code image.onnx} head, or null (format 3)
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Image(
      @JsonProperty(value = "size", required = true) int size,
      @JsonProperty(value = "channels", required = true) int channels,
      @JsonProperty(value = "mean", required = true) float[] mean,
      @JsonProperty(value = "std", required = true) float[] std,
      @JsonProperty(value = "resize", required = true) String resize,
      @JsonProperty(value = "background", required = true) String background,
      @JsonProperty("input") String input,
      @JsonProperty("output") String output,
      @JsonProperty("backbone") ImageBackbone backbone) {

    /** The section that describes {@code spec}, with the default graph names. */
    public static Image of(ImageInputSpec spec) {
      return of(spec, null, null);
    }

    /** The section that describes {@code spec}; null names mean the defaults. */
    public static Image of(ImageInputSpec spec, String input, String output) {
      return of(spec, input, output, null);
    }

    /**
     * The section that describes {@code spec} with a head behind {@code backbone} (null: none);
     * null names mean the defaults.
     */
    public static Image of(
        ImageInputSpec spec, String input, String output, ImageBackboneSpec backbone) {
      String defaultInput = backbone == null ? PIXELS : FEATURES;
      return new Image(
          spec.size(),
          spec.channels(),
          spec.mean(),
          spec.std(),
          resizeName(spec.resize()),
          String.format(Locale.ROOT, "#%06X", spec.background()),
          defaultInput.equals(input) ? null : input,
          EMBEDDING.equals(output) ? null : output,
          backbone == null ? null : ImageBackbone.of(backbone));
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

    /** The image graph's input name. */
    public String inputName() {
      return input != null ? input : backbone != null ? FEATURES : PIXELS;
    }

    /** The image graph's output name. */
    public String outputName() {
      return output == null ? EMBEDDING : output;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Image i
          && size == i.size
          && channels == i.channels
          && Arrays.equals(mean, i.mean)
          && Arrays.equals(std, i.std)
          && Objects.equals(resize, i.resize)
          && Objects.equals(background, i.background)
          && Objects.equals(input, i.input)
          && Objects.equals(output, i.output)
          && Objects.equals(backbone, i.backbone);
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          size,
          channels,
          Arrays.hashCode(mean),
          Arrays.hashCode(std),
          resize,
          background,
          input,
          output,
          backbone);
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
          + ", input="
          + inputName()
          + ", output="
          + outputName()
          + (backbone == null ? "" : ", backbone=" + backbone.name())
          + "]";
    }
  }

  /**
   * The {@code text} section.
   *
   * @param inputs for a {@code text.onnx} that takes token ids: role → graph input name (null
   *     otherwise)
   * @param output for such a graph: its output name (null: {@value #EMBEDDING})
   * @param pooling for such a graph: how its output is pooled (null: {@code none})
   * @param backbone the frozen backbone before a {@code text.onnx} head, or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Text(
      @JsonProperty(value = "tokenizer", required = true) String tokenizer,
      @JsonProperty(value = "vocabulary", required = true) String vocabulary,
      @JsonProperty(value = "max_tokens", required = true) int maxTokens,
      @JsonProperty(value = "lowercase", required = true) boolean lowercase,
      @JsonProperty("inputs") Map<String, String> inputs,
      @JsonProperty("output") String output,
      @JsonProperty("pooling") String pooling,
      @JsonProperty("backbone") Backbone backbone) {

    public static Text of(TextInputSpec spec) {
      TokenGraphSpec g = spec.graph();
      return new Text(
          spec.tokenizer(),
          spec.vocabulary(),
          spec.maxTokens(),
          spec.lowercase(),
          g == null ? null : g.inputs(),
          g == null ? null : g.output(),
          g == null ? null : g.pooling().jsonName(),
          spec.backbone() == null ? null : Backbone.of(spec.backbone()));
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
      if (!TextInputSpec.WORD.equals(tokenizer) && !TextInputSpec.HUGGINGFACE.equals(tokenizer)) {
        throw new IllegalArgumentException(
            "text.tokenizer must be '"
                + TextInputSpec.WORD
                + "' or '"
                + TextInputSpec.HUGGINGFACE
                + "'; got '"
                + tokenizer
                + "'");
      }
      boolean declaresGraph = inputs != null || output != null || pooling != null;
      TokenGraphSpec graph = null;
      if (declaresGraph) {
        if (inputs == null) {
          throw new IllegalArgumentException(
              "text.inputs is required when text.output or text.pooling is declared");
        }
        try {
          graph =
              TokenGraphSpec.of(
                  inputs,
                  output == null ? EMBEDDING : output,
                  pooling == null ? Pooling.NONE : Pooling.fromJsonName(pooling));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("text: " + e.getMessage(), e);
        }
      }
      try {
        return new TextInputSpec(
            tokenizer,
            vocabulary,
            maxTokens,
            lowercase,
            backbone == null ? null : backbone.toSpec(),
            graph);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("text: " + e.getMessage(), e);
      }
    }
  }

  /** The {@code text.backbone} section; see {@link BackboneSpec}. */
  public record Backbone(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "file", required = true) String file,
      @JsonProperty(value = "sha256", required = true) String sha256,
      @JsonProperty(value = "size", required = true) long size,
      @JsonProperty(value = "source", required = true) String source,
      @JsonProperty(value = "inputs", required = true) Map<String, String> inputs,
      @JsonProperty(value = "output", required = true) String output,
      @JsonProperty(value = "pooling", required = true) String pooling,
      @JsonProperty(value = "dimension", required = true) int dimension) {

    public static Backbone of(BackboneSpec spec) {
      return new Backbone(
          spec.name(),
          spec.file(),
          spec.sha256(),
          spec.size(),
          spec.source(),
          spec.graph().inputs(),
          spec.graph().output(),
          spec.graph().pooling().jsonName(),
          spec.dimension());
    }

    /**
     * The spec this section declares.
     *
     * @throws IllegalArgumentException naming the field that is invalid
     */
    public BackboneSpec toSpec() {
      if (inputs == null) {
        throw new IllegalArgumentException("text.backbone.inputs is required");
      }
      try {
        return new BackboneSpec(
            name,
            file,
            sha256,
            size,
            source,
            TokenGraphSpec.of(inputs, output, Pooling.fromJsonName(pooling)),
            dimension);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("text.backbone: " + e.getMessage(), e);
      }
    }
  }

  /** The {@code image.backbone} section (format 3); see {@link ImageBackboneSpec}. */
  public record ImageBackbone(
      @JsonProperty(value = "name", required = true) String name,
      @JsonProperty(value = "file", required = true) String file,
      @JsonProperty(value = "sha256", required = true) String sha256,
      @JsonProperty(value = "size", required = true) long size,
      @JsonProperty(value = "source", required = true) String source,
      @JsonProperty(value = "input", required = true) String input,
      @JsonProperty(value = "output", required = true) String output,
      @JsonProperty(value = "dimension", required = true) int dimension,
      @JsonProperty(value = "min_size", required = true) int minSize) {

    public static ImageBackbone of(ImageBackboneSpec spec) {
      return new ImageBackbone(
          spec.name(),
          spec.file(),
          spec.sha256(),
          spec.size(),
          spec.source(),
          spec.input(),
          spec.output(),
          spec.dimension(),
          spec.minSize());
    }

    /**
     * The spec this section declares.
     *
     * @throws IllegalArgumentException naming the field that is invalid
     */
    public ImageBackboneSpec toSpec() {
      try {
        return new ImageBackboneSpec(
            name, file, sha256, size, source, input, output, dimension, minSize);
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new IllegalArgumentException("image.backbone: " + e.getMessage(), e);
      }
    }
  }

  /**
   * Digests that let a fingerprint mismatch name what changed: the SHA-256 of every file and a
   * short digest of every setting of {@code bundle.json} (keyed by its dotted path, e.g. {@code
   * text.max_tokens}). Written by {@link BundleWriter}; not covered by the fingerprint itself.
   */
  public record Checksums(
      @JsonProperty("files") Map<String, String> files,
      @JsonProperty("settings") Map<String, String> settings) {}

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
