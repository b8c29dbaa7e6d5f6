package io.mmsearch.encoders.bundle;

import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.text.TextInputSpec;
import io.mmsearch.encoders.text.Vocabulary;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;

/**
 * Writes a model bundle directory: the two ONNX graphs, the vocabulary and a {@code bundle.json}
 * whose fingerprint covers them. Training uses it to export; tests use it to make small real
 * bundles.
 *
 * <p>Each file is written to a temporary name and moved into place, {@code bundle.json} last, so a
 * reader never sees a descriptor whose files are half-written. Files of an earlier bundle in the
 * same directory are replaced. The writer does not run the graphs; open the result with an engine
 * (for example {@code Encoders.open}) to prove their inputs, outputs and dimension match.
 *
 * <p>Immutable once built and thread-safe; {@link #write} may be called for several directories.
 *
 * <pre>{@code
 * ModelBundle b = BundleWriter.builder()
 *     .name("emoji-small").dimension(128)
 *     .imageSpec(ImageInputSpec.defaults()).textSpec(TextInputSpec.defaults())
 *     .imageModel(imageOnnxBytes).textModel(textOnnxBytes).vocabulary(vocabulary)
 *     .provenance(new Provenance("emoji", 20, 42, Map.of("recall@10", 0.8), Instant.now().toString()))
 *     .build()
 *     .write(dir);
 * }</pre>
 */
public final class BundleWriter {
  private final String name;
  private final int dimension;
  private final ImageInputSpec imageSpec;
  private final TextInputSpec textSpec;
  private final byte[] imageModel;
  private final byte[] textModel;
  private final Vocabulary vocabulary;
  private final Provenance provenance;

  private BundleWriter(Builder b) {
    this.name = Objects.requireNonNull(b.name, "name");
    if (b.dimension <= 0) {
      throw new IllegalArgumentException("dimension must be positive, got " + b.dimension);
    }
    this.dimension = b.dimension;
    this.imageSpec = Objects.requireNonNull(b.imageSpec, "imageSpec");
    this.textSpec = Objects.requireNonNull(b.textSpec, "textSpec");
    this.imageModel = Objects.requireNonNull(b.imageModel, "imageModel");
    this.textModel = Objects.requireNonNull(b.textModel, "textModel");
    this.vocabulary = Objects.requireNonNull(b.vocabulary, "vocabulary");
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
    ModelBundle.checkPlainFileName(dir, textSpec.vocabulary());
    Files.createDirectories(dir);
    byte[] vocabularyBytes = vocabulary.toBytes();
    List<String> names =
        List.of(ModelBundle.IMAGE_MODEL, ModelBundle.TEXT_MODEL, textSpec.vocabulary());
    List<byte[]> contents = List.of(imageModel, textModel, vocabularyBytes);
    for (int i = 0; i < names.size(); i++) {
      writeAtomically(dir.resolve(names.get(i)), contents.get(i));
    }
    BundleDescriptor descriptor =
        new BundleDescriptor(
            BundleDescriptor.FORMAT_VERSION,
            name,
            BundleFingerprint.ofBytes(names, contents),
            dimension,
            BundleDescriptor.DOT_PRODUCT,
            BundleDescriptor.Image.of(imageSpec),
            BundleDescriptor.Text.of(textSpec),
            provenance);
    writeAtomically(
        dir.resolve(ModelBundle.DESCRIPTOR), BundleJson.MAPPER.writeValueAsBytes(descriptor));
    return ModelBundle.open(dir);
  }

  private static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Collects a bundle's parts. Not thread-safe. */
  public static final class Builder {
    private String name;
    private int dimension;
    private ImageInputSpec imageSpec = ImageInputSpec.defaults();
    private TextInputSpec textSpec = TextInputSpec.defaults();
    private byte[] imageModel;
    private byte[] textModel;
    private Vocabulary vocabulary;
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

    /** Default {@link TextInputSpec#defaults()}; its vocabulary name is the vocabulary file. */
    public Builder textSpec(TextInputSpec textSpec) {
      this.textSpec = textSpec;
      return this;
    }

    /** The serialized image graph ({@code pixels} → {@code embedding}). Required; not copied. */
    public Builder imageModel(byte[] onnx) {
      this.imageModel = onnx;
      return this;
    }

    /**
     * The serialized text graph ({@code tokens}, {@code lengths} → {@code embedding}). Required.
     */
    public Builder textModel(byte[] onnx) {
      this.textModel = onnx;
      return this;
    }

    /** Required. */
    public Builder vocabulary(Vocabulary vocabulary) {
      this.vocabulary = vocabulary;
      return this;
    }

    /** Optional. */
    public Builder provenance(Provenance provenance) {
      this.provenance = provenance;
      return this;
    }

    /**
     * @throws NullPointerException naming a missing required part
     * @throws IllegalArgumentException if the dimension is not positive
     */
    public BundleWriter build() {
      return new BundleWriter(this);
    }
  }
}
