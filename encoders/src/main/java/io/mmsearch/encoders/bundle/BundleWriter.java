package io.mmsearch.encoders.bundle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.image.ImageBackboneSpec;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.text.TextInputSpec;
import io.mmsearch.encoders.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Writes a model bundle directory in format {@value BundleDescriptor#FORMAT_VERSION_2} (or {@value
 * BundleDescriptor#FORMAT_VERSION} when the image side has a backbone): the two ONNX graphs, the
 * tokenizer file ({@code vocab.txt} for the word tokenizer, a Hugging Face {@code tokenizer.json}
 * otherwise) and a {@code bundle.json} whose fingerprint covers them and its own settings. A
 * backbone declared in the text spec or as the {@link Builder#imageBackbone image backbone} is
 * referenced by name and SHA-256, not copied. Training uses it to export; tests use it to make
 * small real bundles.
 *
 * <p>Each file is written to a temporary name and moved into place, {@code bundle.json} last, so a
 * reader never sees a descriptor whose files are half-written. Files of an earlier bundle in the
 * same directory are replaced. The writer does not run the graphs; open the result with an engine
 * (for example {@code Encoders.open}) to prove their inputs, outputs and dimension match.
 *
 * <p>Immutable once built and thread-safe; {@link #write} may be called for several directories.
 *
 * <pre>{@code
 * // a word-tokenizer bundle
 * BundleWriter.builder()
 *     .name("emoji-small").dimension(128)
 *     .imageSpec(ImageInputSpec.defaults()).textSpec(TextInputSpec.defaults())
 *     .imageModel(imageOnnxBytes).textModel(textOnnxBytes).vocabulary(vocabulary)
 *     .provenance(new Provenance("emoji", 20, 42, Map.of("recall@10", 0.8), Instant.now().toString()))
 *     .build()
 *     .write(dir);
 * // a MiniLM backbone + trained head bundle
 * BundleWriter.builder()
 *     .name("emoji-minilm").dimension(256)
 *     .textSpec(TextInputSpec.withBackbone("tokenizer.json", 64, false,
 *         PretrainedBackbones.MINILM_L6_V2))
 *     .tokenizerJson(PretrainedBackbones.miniLmTokenizerJson())
 *     .imageModel(imageOnnxBytes).textModel(headOnnxBytes)   // head: features [N,384] -> embedding
 *     .build()
 *     .write(dir);
 * }</pre>
 */
public final class BundleWriter {
  private final String name;
  private final int dimension;
  private final ImageInputSpec imageSpec;
  private final TextInputSpec textSpec;
  private final String imageInput;
  private final String imageOutput;
  private final ImageBackboneSpec imageBackbone;
  private final byte[] imageModel;
  private final byte[] textModel;
  private final byte[] tokenizerBytes;
  private final Provenance provenance;

  private BundleWriter(Builder b) {
    this.name = Objects.requireNonNull(b.name, "name");
    if (b.dimension <= 0) {
      throw new IllegalArgumentException("dimension must be positive, got " + b.dimension);
    }
    this.dimension = b.dimension;
    this.imageSpec = Objects.requireNonNull(b.imageSpec, "imageSpec");
    this.textSpec = Objects.requireNonNull(b.textSpec, "textSpec");
    this.imageInput = b.imageInput;
    this.imageOutput = b.imageOutput;
    this.imageBackbone = b.imageBackbone;
    this.imageModel = Objects.requireNonNull(b.imageModel, "imageModel");
    this.textModel = Objects.requireNonNull(b.textModel, "textModel");
    if (TextInputSpec.WORD.equals(textSpec.tokenizer())) {
      if (b.tokenizerJson != null) {
        throw new IllegalArgumentException(
            "the word tokenizer takes a vocabulary, not tokenizer.json");
      }
      this.tokenizerBytes = Objects.requireNonNull(b.vocabulary, "vocabulary").toBytes();
    } else {
      if (b.vocabulary != null) {
        throw new IllegalArgumentException(
            "the " + textSpec.tokenizer() + " tokenizer takes tokenizer.json, not a vocabulary");
      }
      this.tokenizerBytes = Objects.requireNonNull(b.tokenizerJson, "tokenizerJson");
    }
    this.provenance = b.provenance;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Writes the bundle into {@code directory} (created if missing) and opens it.
   *
   * @return the written bundle, opened and verified by {@link ModelBundle#open}
   */
  public ModelBundle write(Path directory) throws IOException {
    Path dir = directory.toAbsolutePath().normalize();
    ModelBundle.checkPlainFileName(dir, textSpec.vocabulary(), "text.vocabulary");
    Files.createDirectories(dir);
    List<String> names =
        List.of(ModelBundle.IMAGE_MODEL, ModelBundle.TEXT_MODEL, textSpec.vocabulary());
    List<byte[]> contents = List.of(imageModel, textModel, tokenizerBytes);
    for (int i = 0; i < names.size(); i++) {
      BundleDescriptorFile.writeAtomically(dir.resolve(names.get(i)), contents.get(i));
    }
    BundleDescriptor descriptor =
        new BundleDescriptor(
            imageBackbone == null
                ? BundleDescriptor.FORMAT_VERSION_2
                : BundleDescriptor.FORMAT_VERSION,
            name,
            null,
            dimension,
            BundleDescriptor.DOT_PRODUCT,
            BundleDescriptor.Image.of(imageSpec, imageInput, imageOutput, imageBackbone),
            BundleDescriptor.Text.of(textSpec),
            null,
            provenance);
    ObjectNode content = BundleJson.MAPPER.valueToTree(descriptor);
    BundleDescriptorFile.write(dir, content, names);
    return ModelBundle.open(dir);
  }

  /** Collects a bundle's parts. Not thread-safe. */
  public static final class Builder {
    private String name;
    private int dimension;
    private ImageInputSpec imageSpec = ImageInputSpec.defaults();
    private TextInputSpec textSpec = TextInputSpec.defaults();
    private String imageInput;
    private String imageOutput;
    private ImageBackboneSpec imageBackbone;
    private byte[] imageModel;
    private byte[] textModel;
    private Vocabulary vocabulary;
    private byte[] tokenizerJson;
    private Provenance provenance;

    private Builder() {}

    /** A human-readable model name. Required. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** Length of the vectors both graphs output. Required. */
    public Builder dimension(int dimension) {
      this.dimension = dimension;
      return this;
    }

    /** Default {@link ImageInputSpec#defaults()}. */
    public Builder imageSpec(ImageInputSpec imageSpec) {
      this.imageSpec = imageSpec;
      return this;
    }

    /**
     * The image graph's input and output names, for graphs that do not use {@code pixels} and
     * {@code embedding} (e.g. {@code pixel_values} / {@code image_embeds} of a CLIP export).
     */
    public Builder imageGraphNames(String input, String output) {
      this.imageInput = input;
      this.imageOutput = output;
      return this;
    }

    /**
     * A frozen image backbone (e.g. {@link
     * io.mmsearch.encoders.image.PretrainedImageBackbones#MOBILENET_V2_NSFWJS}) before the image
     * graph, which then is a head: input {@code features} float32 {@code [batch, F]} with {@code F}
     * the backbone's dimension, output {@code embedding}. The backbone is referenced by name and
     * SHA-256 in {@code image.backbone}, not copied; the bundle is written in format {@value
     * BundleDescriptor#FORMAT_VERSION}. The image spec says how pixels are prepared for the
     * backbone.
     */
    public Builder imageBackbone(ImageBackboneSpec backbone) {
      this.imageBackbone = backbone;
      return this;
    }

    /**
     * Default {@link TextInputSpec#defaults()}; its vocabulary name is the tokenizer file's name,
     * its backbone (if any) is referenced.
     */
    public Builder textSpec(TextInputSpec textSpec) {
      this.textSpec = textSpec;
      return this;
    }

    /** The serialized image graph. Required; not copied. */
    public Builder imageModel(byte[] onnx) {
      this.imageModel = onnx;
      return this;
    }

    /**
     * The serialized text graph: for the word tokenizer {@code tokens}, {@code lengths} → {@code
     * embedding}; behind a backbone, the head {@code features} → {@code embedding}; otherwise the
     * token graph the text spec describes. Required; not copied.
     */
    public Builder textModel(byte[] onnx) {
      this.textModel = onnx;
      return this;
    }

    /** The word tokenizer's vocabulary; required for {@link TextInputSpec#WORD}. */
    public Builder vocabulary(Vocabulary vocabulary) {
      this.vocabulary = vocabulary;
      return this;
    }

    /** The tokenizer.json bytes; required for {@link TextInputSpec#HUGGINGFACE}. Not copied. */
    public Builder tokenizerJson(byte[] json) {
      this.tokenizerJson = json;
      return this;
    }

    /** Optional. */
    public Builder provenance(Provenance provenance) {
      this.provenance = provenance;
      return this;
    }

    /**
     * @throws NullPointerException naming a missing required part
     * @throws IllegalArgumentException if the dimension is not positive or the tokenizer file does
     *     not fit the tokenizer kind
     */
    public BundleWriter build() {
      return new BundleWriter(this);
    }
  }
}
