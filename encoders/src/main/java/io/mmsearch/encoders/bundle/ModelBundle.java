package io.mmsearch.encoders.bundle;

import com.fasterxml.jackson.core.JacksonException;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.text.TextInputSpec;
import io.mmsearch.encoders.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An opened, validated model bundle directory: {@value #DESCRIPTOR} + {@value #IMAGE_MODEL} +
 * {@value #TEXT_MODEL} + the vocabulary file {@code bundle.json} names (normally {@code
 * vocab.txt}).
 *
 * <p>{@link #open} checks that {@code bundle.json} is well-formed and declares a supported format,
 * that every file is present, and that the files hash to the declared fingerprint. It does not look
 * inside the ONNX graphs: an engine checks their inputs, outputs and dimension when it loads them.
 *
 * <p>Immutable and thread-safe. Holds no open files; the vocabulary is read into memory at open.
 */
public final class ModelBundle {
  /** The descriptor file name. */
  public static final String DESCRIPTOR = "bundle.json";

  /** The image graph file name. */
  public static final String IMAGE_MODEL = "image.onnx";

  /** The text graph file name. */
  public static final String TEXT_MODEL = "text.onnx";

  private final Path directory;
  private final BundleDescriptor descriptor;
  private final ImageInputSpec imageSpec;
  private final TextInputSpec textSpec;
  private final Vocabulary vocabulary;

  private ModelBundle(
      Path directory,
      BundleDescriptor descriptor,
      ImageInputSpec imageSpec,
      TextInputSpec textSpec,
      Vocabulary vocabulary) {
    this.directory = directory;
    this.descriptor = descriptor;
    this.imageSpec = imageSpec;
    this.textSpec = textSpec;
    this.vocabulary = vocabulary;
  }

  /**
   * Opens and validates the bundle in {@code directory}.
   *
   * @throws InvalidBundleException naming the directory and the reason: a missing file (named),
   *     malformed or unsupported {@code bundle.json}, an invalid vocabulary, or a fingerprint that
   *     does not match the files
   * @throws IOException if a file exists but cannot be read
   */
  public static ModelBundle open(Path directory) throws IOException {
    Path dir = directory.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new InvalidBundleException(dir, "not a directory");
    }
    Path descriptorFile = dir.resolve(DESCRIPTOR);
    if (!Files.isRegularFile(descriptorFile)) {
      throw new InvalidBundleException(dir, "missing file " + DESCRIPTOR);
    }
    BundleDescriptor d;
    try {
      d = BundleJson.MAPPER.readValue(descriptorFile.toFile(), BundleDescriptor.class);
    } catch (JacksonException e) {
      throw new InvalidBundleException(
          dir, DESCRIPTOR + " is not a valid bundle descriptor: " + e.getOriginalMessage(), e);
    }
    if (d == null) {
      throw new InvalidBundleException(dir, DESCRIPTOR + " is empty");
    }
    if (d.formatVersion() != BundleDescriptor.FORMAT_VERSION) {
      throw new InvalidBundleException(
          dir,
          "unsupported format_version "
              + d.formatVersion()
              + " in "
              + DESCRIPTOR
              + "; this version reads "
              + BundleDescriptor.FORMAT_VERSION);
    }
    if (d.dimension() <= 0) {
      throw new InvalidBundleException(dir, "dimension must be positive, got " + d.dimension());
    }
    if (!BundleDescriptor.DOT_PRODUCT.equals(d.similarity())) {
      throw new InvalidBundleException(
          dir,
          "unsupported similarity '"
              + d.similarity()
              + "'; only '"
              + BundleDescriptor.DOT_PRODUCT
              + "' on L2-normalised vectors is supported");
    }
    if (d.image() == null || d.text() == null) {
      throw new InvalidBundleException(dir, DESCRIPTOR + " needs both an image and a text section");
    }
    ImageInputSpec imageSpec;
    TextInputSpec textSpec;
    try {
      imageSpec = d.image().toSpec();
      textSpec = d.text().toSpec();
    } catch (IllegalArgumentException e) {
      throw new InvalidBundleException(dir, DESCRIPTOR + ": " + e.getMessage(), e);
    }
    String vocabularyName = textSpec.vocabulary();
    checkPlainFileName(dir, vocabularyName);
    List<String> files = List.of(IMAGE_MODEL, TEXT_MODEL, vocabularyName);
    for (String f : files) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        throw new InvalidBundleException(dir, "missing file " + f);
      }
    }
    String actual;
    try {
      actual = BundleFingerprint.ofFiles(dir, files);
    } catch (NoSuchFileException e) {
      throw new InvalidBundleException(dir, "missing file " + e.getFile(), e);
    }
    if (!actual.equalsIgnoreCase(String.valueOf(d.fingerprint()))) {
      throw new InvalidBundleException(
          dir,
          "fingerprint mismatch: "
              + DESCRIPTOR
              + " declares "
              + d.fingerprint()
              + " but "
              + files
              + " hash to "
              + actual
              + " (a file was changed or replaced after export)");
    }
    Vocabulary vocabulary;
    try {
      vocabulary = Vocabulary.load(dir.resolve(vocabularyName));
    } catch (IOException e) {
      throw new InvalidBundleException(dir, e.getMessage(), e);
    }
    return new ModelBundle(dir, d, imageSpec, textSpec, vocabulary);
  }

  /** Refuses names that would point outside the bundle directory or clash with its fixed files. */
  static void checkPlainFileName(Path dir, String name) throws InvalidBundleException {
    if (name.isEmpty()
        || name.contains("/")
        || name.contains("\\")
        || name.equals(".")
        || name.equals("..")
        || name.equals(DESCRIPTOR)
        || name.equals(IMAGE_MODEL)
        || name.equals(TEXT_MODEL)) {
      throw new InvalidBundleException(
          dir, "text.vocabulary must be a plain file name inside the bundle, got '" + name + "'");
    }
  }

  /** The bundle directory (absolute). */
  public Path directory() {
    return directory;
  }

  /** {@code bundle.json} as read. */
  public BundleDescriptor descriptor() {
    return descriptor;
  }

  public String name() {
    return descriptor.name();
  }

  /** The verified content fingerprint (lower-case hex SHA-256, see {@link BundleFingerprint}). */
  public String fingerprint() {
    return descriptor.fingerprint().toLowerCase(Locale.ROOT);
  }

  /** Length of the vectors both graphs output. */
  public int dimension() {
    return descriptor.dimension();
  }

  public ImageInputSpec imageSpec() {
    return imageSpec;
  }

  public TextInputSpec textSpec() {
    return textSpec;
  }

  /** The vocabulary, read at {@link #open}. */
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  /** Provenance, or null if the bundle has none. */
  public Provenance provenance() {
    return descriptor.provenance();
  }

  public Path imageModelFile() {
    return directory.resolve(IMAGE_MODEL);
  }

  public Path textModelFile() {
    return directory.resolve(TEXT_MODEL);
  }

  public Path vocabularyFile() {
    return directory.resolve(textSpec.vocabulary());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelBundle b
        && directory.equals(b.directory)
        && fingerprint().equals(b.fingerprint());
  }

  @Override
  public int hashCode() {
    return Objects.hash(directory, fingerprint());
  }

  @Override
  public String toString() {
    return "ModelBundle["
        + descriptor.name()
        + ", dimension="
        + dimension()
        + ", fingerprint="
        + fingerprint()
        + ", dir="
        + directory
        + "]";
  }
}
