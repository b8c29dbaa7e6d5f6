package io.mmsearch.encoders.bundle;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mmsearch.encoders.image.ImageBackboneSpec;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.image.PretrainedImageBackbones;
import io.mmsearch.encoders.text.SubwordTokenizer;
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
 * {@value #TEXT_MODEL} + the tokenizer file {@code bundle.json} names ({@code vocab.txt} or {@code
 * tokenizer.json}), plus, if it declares one, a backbone found by {@link BackboneFile#locate}.
 *
 * <p>{@link #open} checks that {@code bundle.json} is well-formed and declares a supported format,
 * that every file is present, that the files and (format 2) {@code bundle.json}'s own settings hash
 * to the declared {@link BundleFingerprint fingerprint}, that the tokenizer file is valid, and that
 * the backbone is present with the declared size. It does not look inside the ONNX graphs, nor hash
 * the backbone's bytes: an engine does both when it loads them ({@link BackboneFile#readVerified}).
 *
 * <p>Immutable and thread-safe. Holds no open files; a vocabulary is read into memory at open.
 */
public final class ModelBundle {
  /** The descriptor file name. */
  public static final String DESCRIPTOR = "bundle.json";

  /** The image graph file name. */
  public static final String IMAGE_MODEL = "image.onnx";

  /** The text graph file name. */
  public static final String TEXT_MODEL = "text.onnx";

  /** The command that recomputes a bundle's fingerprint, quoted in errors. */
  static final String REFINGERPRINT = "./mmsearch bundle refingerprint ";

  private final Path directory;
  private final BundleDescriptor descriptor;
  private final ImageInputSpec imageSpec;
  private final TextInputSpec textSpec;
  private final Vocabulary vocabulary;
  private final BackboneFile backbone;
  private final ImageBackboneSpec imageBackboneSpec;
  private final BackboneFile imageBackbone;

  private ModelBundle(
      Path directory,
      BundleDescriptor descriptor,
      ImageInputSpec imageSpec,
      TextInputSpec textSpec,
      Vocabulary vocabulary,
      BackboneFile backbone,
      ImageBackboneSpec imageBackboneSpec,
      BackboneFile imageBackbone) {
    this.directory = directory;
    this.descriptor = descriptor;
    this.imageSpec = imageSpec;
    this.textSpec = textSpec;
    this.vocabulary = vocabulary;
    this.backbone = backbone;
    this.imageBackboneSpec = imageBackboneSpec;
    this.imageBackbone = imageBackbone;
  }

  /**
   * Opens and validates the bundle in {@code directory}.
   *
   * @throws InvalidBundleException naming the directory and the reason: a missing file (named),
   *     malformed or unsupported {@code bundle.json}, an invalid vocabulary or tokenizer.json, a
   *     missing backbone, or a fingerprint that does not match (naming what changed where it can,
   *     and the command to run if the change was deliberate)
   * @throws IOException if a file exists but cannot be read
   */
  public static ModelBundle open(Path directory) throws IOException {
    Parsed p = parse(directory);
    verifyFingerprint(p);
    return load(p);
  }

  /** {@code bundle.json} read, bound and validated; files checked present. */
  record Parsed(
      Path dir,
      JsonNode tree,
      BundleDescriptor descriptor,
      ImageInputSpec imageSpec,
      TextInputSpec textSpec,
      ImageBackboneSpec imageBackbone,
      List<String> files) {}

  static Parsed parse(Path directory) throws IOException {
    Path dir = directory.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new InvalidBundleException(dir, "not a directory");
    }
    Path descriptorFile = dir.resolve(DESCRIPTOR);
    if (!Files.isRegularFile(descriptorFile)) {
      throw new InvalidBundleException(dir, "missing file " + DESCRIPTOR);
    }
    JsonNode tree;
    BundleDescriptor d;
    try {
      tree = BundleJson.MAPPER.readTree(descriptorFile.toFile());
      if (tree == null || tree.isMissingNode() || !tree.isObject()) {
        throw new InvalidBundleException(dir, DESCRIPTOR + " is empty or not a JSON object");
      }
      d = BundleJson.MAPPER.treeToValue(tree, BundleDescriptor.class);
    } catch (JacksonException e) {
      throw new InvalidBundleException(
          dir, DESCRIPTOR + " is not a valid bundle descriptor: " + e.getOriginalMessage(), e);
    }
    if (d.formatVersion() != BundleDescriptor.FORMAT_VERSION
        && d.formatVersion() != BundleDescriptor.FORMAT_VERSION_2
        && d.formatVersion() != BundleDescriptor.FORMAT_VERSION_1) {
      throw new InvalidBundleException(
          dir,
          "unsupported format_version "
              + d.formatVersion()
              + " in "
              + DESCRIPTOR
              + "; this version reads "
              + BundleDescriptor.FORMAT_VERSION_1
              + " to "
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
    ImageBackboneSpec imageBackbone;
    try {
      imageSpec = d.image().toSpec();
      textSpec = d.text().toSpec();
      imageBackbone = d.image().backbone() == null ? null : d.image().backbone().toSpec();
    } catch (IllegalArgumentException e) {
      throw new InvalidBundleException(dir, DESCRIPTOR + ": " + e.getMessage(), e);
    }
    if (imageBackbone != null && d.formatVersion() < BundleDescriptor.FORMAT_VERSION) {
      throw new InvalidBundleException(
          dir,
          "image.backbone needs format_version "
              + BundleDescriptor.FORMAT_VERSION
              + "; "
              + DESCRIPTOR
              + " declares "
              + d.formatVersion());
    }
    if (d.formatVersion() == BundleDescriptor.FORMAT_VERSION_1
        && !TextInputSpec.WORD.equals(textSpec.tokenizer())) {
      throw new InvalidBundleException(
          dir, "format_version 1 knows only the word tokenizer; declare format_version 2");
    }
    String tokenizerFile = textSpec.vocabulary();
    checkPlainFileName(dir, tokenizerFile, "text.vocabulary");
    List<String> files = List.of(IMAGE_MODEL, TEXT_MODEL, tokenizerFile);
    for (String f : files) {
      if (!Files.isRegularFile(dir.resolve(f))) {
        throw new InvalidBundleException(dir, "missing file " + f);
      }
    }
    return new Parsed(dir, tree, d, imageSpec, textSpec, imageBackbone, files);
  }

  private static void verifyFingerprint(Parsed p) throws IOException {
    String declared = p.descriptor().fingerprint();
    if (declared == null || declared.isBlank()) {
      throw new InvalidBundleException(
          p.dir(),
          DESCRIPTOR
              + " has no fingerprint; if you wrote it by hand, run "
              + REFINGERPRINT
              + p.dir()
              + " to compute it");
    }
    String actual;
    try {
      actual =
          p.descriptor().formatVersion() == BundleDescriptor.FORMAT_VERSION_1
              ? BundleFingerprint.ofFiles(p.dir(), p.files())
              : BundleFingerprint.ofBundle(p.tree(), p.dir(), p.files());
    } catch (NoSuchFileException e) {
      throw new InvalidBundleException(p.dir(), "missing file " + e.getFile(), e);
    }
    if (actual.equalsIgnoreCase(declared)) {
      return;
    }
    String what;
    if (p.descriptor().formatVersion() == BundleDescriptor.FORMAT_VERSION_1) {
      what = p.files() + " hash to " + actual + " (a file was changed or replaced after export)";
    } else {
      List<String> changes =
          BundleFingerprint.differences(
              p.descriptor().checksums(),
              BundleFingerprint.fileDigests(p.dir(), p.files()),
              BundleFingerprint.settingDigests(p.tree()));
      what =
          "the bundle hashes to "
              + actual
              + (changes.isEmpty()
                  ? " (a file or a setting of " + DESCRIPTOR + " changed after export)"
                  : ": " + String.join(", ", changes) + " since export");
    }
    throw new InvalidBundleException(
        p.dir(),
        "fingerprint mismatch: "
            + DESCRIPTOR
            + " declares "
            + declared
            + " but "
            + what
            + ". If the change is deliberate, run "
            + REFINGERPRINT
            + p.dir()
            + " (indexes built with the old fingerprint will then refuse the bundle)");
  }

  private static ModelBundle load(Parsed p) throws IOException {
    Path dir = p.dir();
    TextInputSpec text = p.textSpec();
    Path tokenizerFile = dir.resolve(text.vocabulary());
    Vocabulary vocabulary = null;
    BackboneFile backbone = null;
    try {
      if (TextInputSpec.WORD.equals(text.tokenizer())) {
        vocabulary = Vocabulary.load(tokenizerFile);
      } else {
        SubwordTokenizer.checkFile(Files.readAllBytes(tokenizerFile), tokenizerFile.toString());
      }
    } catch (InvalidBundleException e) {
      throw e;
    } catch (IOException e) {
      throw new InvalidBundleException(dir, e.getMessage(), e);
    }
    if (text.backbone() != null) {
      backbone = BackboneFile.locate(dir, text.backbone());
    }
    ImageBackboneSpec imageBackboneSpec = p.imageBackbone();
    BackboneFile imageBackbone =
        imageBackboneSpec == null ? null : locateImageBackbone(dir, imageBackboneSpec);
    return new ModelBundle(
        dir,
        p.descriptor(),
        p.imageSpec(),
        text,
        vocabulary,
        backbone,
        imageBackboneSpec,
        imageBackbone);
  }

  /**
   * Finds the image backbone. A name this build knows ({@link PretrainedImageBackbones}) must come
   * with that backbone's SHA-256; a name it does not know is a backbone of the user's own, which
   * must be beside {@code bundle.json} or in a backbone folder.
   */
  private static BackboneFile locateImageBackbone(Path dir, ImageBackboneSpec spec)
      throws InvalidBundleException {
    ImageBackboneSpec known = PretrainedImageBackbones.named(spec.name());
    if (known != null && !known.sha256().equals(spec.sha256())) {
      throw new InvalidBundleException(
          dir,
          "image.backbone names "
              + spec.name()
              + " with SHA-256 "
              + spec.sha256()
              + ", but the "
              + spec.name()
              + " this build provides has SHA-256 "
              + known.sha256()
              + ": the bundle was made with another conversion of it. Re-export the bundle with this"
              + " build, or put the backbone file with the declared hash beside bundle.json");
    }
    try {
      return BackboneFile.locate(dir, spec);
    } catch (InvalidBundleException e) {
      if (known != null) {
        throw e;
      }
      throw new InvalidBundleException(
          dir,
          "image.backbone names an unknown backbone '"
              + spec.name()
              + "' (file "
              + spec.file()
              + ", SHA-256 "
              + spec.sha256()
              + "): this build provides "
              + PretrainedImageBackbones.known().stream().map(ImageBackboneSpec::name).toList()
              + ", and the file is not beside bundle.json, in a backbone folder (system property "
              + BackboneFile.FOLDERS_PROPERTY
              + " or environment variable "
              + BackboneFile.FOLDERS_ENV
              + ") or on the class path. Its source says: "
              + spec.source(),
          e);
    }
  }

  /**
   * Recomputes the fingerprint (and checksums) of the bundle in {@code directory} as it is now and
   * rewrites {@code bundle.json}, upgrading a format-1 descriptor to format 2. For bundles whose
   * {@code bundle.json} was edited on purpose or written by hand. The descriptor is validated
   * first; nothing is written if it is invalid.
   *
   * @return the fingerprint before (null if there was none) and after
   * @throws InvalidBundleException if the bundle is invalid for any reason other than its
   *     fingerprint
   */
  public static Refingerprinted refingerprint(Path directory) throws IOException {
    Parsed p = parse(directory);
    String before = p.descriptor().fingerprint();
    // Edits the tree as read, so that fields this version does not know are kept.
    ObjectNode tree = p.tree().deepCopy();
    tree.put("format_version", BundleDescriptor.formatNeeded(tree));
    tree.remove("fingerprint");
    tree.remove("checksums");
    BundleDescriptorFile.write(p.dir(), tree, p.files());
    ModelBundle opened = open(p.dir());
    return new Refingerprinted(opened, before == null ? null : before.toLowerCase(Locale.ROOT));
  }

  /**
   * The result of {@link #refingerprint}.
   *
   * @param bundle the bundle, reopened and verified
   * @param previousFingerprint the fingerprint it declared before, or null
   */
  public record Refingerprinted(ModelBundle bundle, String previousFingerprint) {}

  /** Refuses names that would point outside the bundle directory or clash with its fixed files. */
  static void checkPlainFileName(Path dir, String name, String field)
      throws InvalidBundleException {
    if (name == null
        || name.isEmpty()
        || name.contains("/")
        || name.contains("\\")
        || name.equals(".")
        || name.equals("..")
        || name.equals(DESCRIPTOR)
        || name.equals(IMAGE_MODEL)
        || name.equals(TEXT_MODEL)) {
      throw new InvalidBundleException(
          dir, field + " must be a plain file name inside the bundle, got '" + name + "'");
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

  /** {@code bundle.json}'s {@code format_version}. */
  public int formatVersion() {
    return descriptor.formatVersion();
  }

  /**
   * The verified content fingerprint (lower-case hex SHA-256, see {@link BundleFingerprint}). For
   * format 2 it covers {@code bundle.json}'s settings too; for format 1 only the files.
   */
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

  /** The image graph's input name ({@code pixels} unless {@code image.input} says otherwise). */
  public String imageInputName() {
    return descriptor.image().inputName();
  }

  /**
   * The image graph's output name ({@code embedding} unless {@code image.output} says otherwise).
   */
  public String imageOutputName() {
    return descriptor.image().outputName();
  }

  /**
   * The vocabulary of a {@value TextInputSpec#WORD} bundle, read at {@link #open}.
   *
   * @throws IllegalStateException if the bundle uses another tokenizer (it has no {@code
   *     vocab.txt})
   */
  public Vocabulary vocabulary() {
    if (vocabulary == null) {
      throw new IllegalStateException(
          "bundle "
              + directory
              + " uses the "
              + textSpec.tokenizer()
              + " tokenizer ("
              + textSpec.vocabulary()
              + "); it has no word vocabulary");
    }
    return vocabulary;
  }

  /** The referenced backbone, located at {@link #open}, or null if the bundle has none. */
  public BackboneFile backbone() {
    return backbone;
  }

  /**
   * The image backbone before {@code image.onnx}, or null if the image graph takes pixels itself.
   */
  public ImageBackboneSpec imageBackboneSpec() {
    return imageBackboneSpec;
  }

  /** Where the image backbone was found at {@link #open}, or null if the bundle has none. */
  public BackboneFile imageBackbone() {
    return imageBackbone;
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

  /** The tokenizer's file: {@code vocab.txt} or {@code tokenizer.json}. */
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
