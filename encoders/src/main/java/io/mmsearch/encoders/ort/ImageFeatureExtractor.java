package io.mmsearch.encoders.ort;

import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.EngineOptions;
import io.mmsearch.encoders.bundle.BackboneFile;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.encoders.image.ImageBackboneSpec;
import io.mmsearch.encoders.image.ImageDecodingException;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.encoders.image.PreprocessedBatch;
import io.mmsearch.encoders.image.PretrainedImageBackbones;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A frozen image backbone's features of images: decode and preprocess as an {@link ImageInputSpec}
 * says, then the backbone graph in ONNX Runtime, exactly as a bundle's image encoder computes them
 * before its head. Training uses it to precompute (and cache) the features its projection head
 * trains on; serving runs the same code, so a head sees identical inputs in both.
 *
 * <pre>{@code
 * // the shipped backbone (nsfwjs MobileNetV2, 5,568 features), images at 128 px
 * try (ImageFeatureExtractor fx = ImageFeatureExtractor.mobileNetV2(128, EngineOptions.defaults())) {
 *   List<EncodingResult> f = fx.featuresEach(imageFiles, names); // 5,568 floats each, or an error
 *   float[][] g = fx.features(augmentedPixels, rows);            // already-preprocessed NCHW rows
 * }
 * // any image backbone graph (pixels -> features), e.g. one with many candidate taps
 * try (ImageFeatureExtractor fx = ImageFeatureExtractor.ofGraph(file, spec, minSize, options)) { ... }
 * }</pre>
 *
 * <p>Features are not normalised. Images with a side below the backbone's minimum are refused
 * (their slot holds an {@link ImageDecodingException}); larger ones are resized, up or down, to the
 * spec's size. Thread-safe; a pinned backbone's session is shared with every encoder of the JVM
 * that uses the same backbone. The caller closes it.
 */
public final class ImageFeatureExtractor implements AutoCloseable {
  private final ImageBackboneSpec backbone;
  private final ImagePreprocessor preprocessor;
  private final ImageBackboneGraph graph;
  private final AutoCloseable owner;

  private ImageFeatureExtractor(
      ImageBackboneSpec backbone,
      ImagePreprocessor preprocessor,
      ImageBackboneGraph graph,
      AutoCloseable owner) {
    this.backbone = backbone;
    this.preprocessor = preprocessor;
    this.graph = graph;
    this.owner = owner;
  }

  /**
   * The extractor of a pinned backbone, found as a bundle would find it (in {@code searchDir}, the
   * backbone folders, then on the class path) and verified against its SHA-256.
   *
   * @param searchDir a folder to look in first (e.g. the future bundle's), or null
   * @throws InvalidBundleException if the backbone is missing or altered (naming the file, the
   *     expected hash and how to get it), or its graph does not match the spec
   */
  public static ImageFeatureExtractor open(
      ImageBackboneSpec backbone, ImageInputSpec input, Path searchDir, EngineOptions options)
      throws IOException {
    Path dir = searchDir == null ? null : searchDir.toAbsolutePath();
    BackboneFile file = BackboneFile.locate(dir, backbone);
    Path where = dir != null ? dir : Path.of(backbone.file());
    SharedBackbones.Lease<ImageBackboneGraph> lease =
        SharedBackbones.acquireImage(where, file, backbone, input.size(), options);
    return new ImageFeatureExtractor(backbone, preprocessor(backbone, input), lease.graph(), lease);
  }

  /**
   * The extractor of a bundle whose image side has a backbone: its features are what the bundle's
   * {@code image.onnx} head is fed.
   *
   * @throws InvalidBundleException if the bundle declares no image backbone, or as {@link
   *     #open(ImageBackboneSpec, ImageInputSpec, Path, EngineOptions)}
   */
  public static ImageFeatureExtractor open(ModelBundle bundle, EngineOptions options)
      throws IOException {
    if (bundle.imageBackboneSpec() == null) {
      throw new InvalidBundleException(bundle.directory(), "declares no image.backbone");
    }
    return open(bundle.imageBackboneSpec(), bundle.imageSpec(), bundle.directory(), options);
  }

  /**
   * The shipped backbone, {@link PretrainedImageBackbones#MOBILENET_V2_NSFWJS}, from the class
   * path, with {@link PretrainedImageBackbones#mobileNetV2Input(int)} preprocessing.
   */
  public static ImageFeatureExtractor mobileNetV2(int size, EngineOptions options)
      throws IOException {
    return open(
        PretrainedImageBackbones.MOBILENET_V2_NSFWJS,
        PretrainedImageBackbones.mobileNetV2Input(size),
        null,
        options);
  }

  /**
   * An extractor on any image backbone graph file with input {@code pixels} float32 {@code [batch,
   * 3, H, W]} and output {@code features} float32 {@code [batch, F]} (what {@code
   * backbone-converter} writes, e.g. with many candidate taps), not pinned and not shared: its spec
   * records the file's SHA-256 as read.
   *
   * @param minSize the smallest image side to accept (the converter records its graph's in the
   *     model metadata {@code mmsearch.backbone.min_size}; 32 for MobileNetV2 cut at block 16)
   * @throws InvalidBundleException naming the file if it does not have that input and output
   */
  public static ImageFeatureExtractor ofGraph(
      Path onnxFile, ImageInputSpec input, int minSize, EngineOptions options) throws IOException {
    byte[] bytes = Files.readAllBytes(onnxFile);
    Path dir = onnxFile.toAbsolutePath().getParent();
    String name = onnxFile.getFileName().toString();
    int dimension = probeDimension(dir, name, bytes, input.size(), options);
    ImageBackboneSpec spec =
        new ImageBackboneSpec(
            name,
            name,
            sha256(bytes),
            bytes.length,
            "file " + onnxFile.toAbsolutePath(),
            "pixels",
            "features",
            dimension,
            minSize);
    ImageBackboneGraph graph = ImageBackboneGraph.load(dir, spec, bytes, input.size(), options);
    return new ImageFeatureExtractor(spec, preprocessor(spec, input), graph, graph);
  }

  private static int probeDimension(
      Path dir, String name, byte[] bytes, int size, EngineOptions options) throws IOException {
    try (OrtGraph g = OrtGraph.open(dir, name, bytes, "features", options, 1)) {
      var info = g.outputInfo().get("features");
      if (info == null || !(info.getInfo() instanceof ai.onnxruntime.TensorInfo t)) {
        throw new InvalidBundleException(dir, name + " has no tensor output 'features'");
      }
      long[] shape = t.getShape();
      if (shape.length != 2 || shape[1] <= 0) {
        throw new InvalidBundleException(
            dir,
            name + " output features has shape " + Arrays.toString(shape) + ", not [batch, F]");
      }
      return Math.toIntExact(shape[1]);
    } catch (ai.onnxruntime.OrtException e) {
      throw new InvalidBundleException(
          dir, name + ": cannot read its outputs: " + e.getMessage(), e);
    }
  }

  static ImagePreprocessor preprocessor(ImageBackboneSpec backbone, ImageInputSpec input) {
    return new ImagePreprocessor(input)
        .withMinimumSide(backbone.minSize(), "the image backbone " + backbone.name());
  }

  /** The backbone, whose {@link ImageBackboneSpec#sha256()} identifies the features. */
  public ImageBackboneSpec backbone() {
    return backbone;
  }

  /** How images are preprocessed before the backbone. */
  public ImageInputSpec spec() {
    return preprocessor.spec();
  }

  /** The preprocessor (decode, resize, normalise) the extractor runs on image files. */
  public ImagePreprocessor preprocessor() {
    return preprocessor;
  }

  /** Width {@code F} of the features. */
  public int dimension() {
    return backbone.dimension();
  }

  /**
   * Features of one image file.
   *
   * @throws ImageDecodingException naming the item if it cannot be decoded or is too small
   */
  public float[] features(byte[] image, String itemName) {
    return graph.run(preprocessor.preprocess(image, itemName), 1, spec().size())[0];
  }

  /**
   * Features of already-preprocessed images (e.g. augmented copies): {@code rows} images laid out
   * {@code [rows, 3, size, size]} in {@code pixels}, normalised as {@link #spec()} says.
   */
  public float[][] features(float[] pixels, int rows) {
    return graph.run(pixels, rows, spec().size());
  }

  /**
   * Features of each image file. An image that cannot be decoded or is too small gets its error in
   * its own slot and never fails the others.
   *
   * @return one result per image, in order; {@link EncodingResult#vector()} holds the features
   */
  public List<EncodingResult> featuresEach(List<byte[]> images, List<String> itemNames) {
    PreprocessedBatch batch = preprocessor.preprocessBatch(images, itemNames);
    EncodingResult[] results = OrtImageEncoder.resultSlots(batch);
    if (batch.size() > 0) {
      float[][] rows = graph.run(batch.tensor(), batch.size(), spec().size());
      for (int row = 0; row < rows.length; row++) {
        results[batch.sourceIndex(row)] = EncodingResult.of(rows[row]);
      }
    }
    return new ArrayList<>(Arrays.asList(results));
  }

  @Override
  public void close() {
    try {
      owner.close();
    } catch (Exception e) {
      throw new IllegalStateException(
          "closing the image backbone " + backbone.name() + " failed", e);
    }
  }

  @Override
  public String toString() {
    return "ImageFeatureExtractor[" + backbone.name() + ", " + preprocessor.spec() + "]";
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java platform has SHA-256", e);
    }
  }
}
