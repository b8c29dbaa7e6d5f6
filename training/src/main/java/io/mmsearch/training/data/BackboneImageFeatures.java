package io.mmsearch.training.data;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mmsearch.encoders.EngineOptions;
import io.mmsearch.encoders.image.ImageBackboneSpec;
import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.encoders.image.PretrainedImageBackbones;
import io.mmsearch.encoders.ort.ImageFeatureExtractor;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A frozen image backbone's features as the serving pipeline computes them ({@link
 * ImageFeatureExtractor}: the bundle's preprocessing, its minimum side, the backbone graph in ONNX
 * Runtime), so an image head trains on exactly what it will be fed. Thread-safe; closes the
 * extractor.
 */
public final class BackboneImageFeatures implements ImageFeatureSource, AutoCloseable {

  private final ImageFeatureExtractor extractor;
  private final String tapLayout;

  private BackboneImageFeatures(ImageFeatureExtractor extractor, String tapLayout) {
    this.extractor = extractor;
    this.tapLayout = tapLayout;
  }

  /**
   * The shipped backbone ({@link PretrainedImageBackbones#MOBILENET_V2_NSFWJS}, from the class
   * path, where the build puts it) with images at {@code size} pixels.
   */
  public static BackboneImageFeatures mobileNetV2(int size) throws IOException {
    return new BackboneImageFeatures(
        ImageFeatureExtractor.mobileNetV2(size, EngineOptions.defaults()), null);
  }

  /**
   * Any image backbone graph ({@code pixels} float32 {@code [batch,3,H,W]} to {@code features}
   * float32 {@code [batch,F]}, e.g. MobileNetV2 cut at other taps by {@code backbone-converter}),
   * with the MobileNetV2 preprocessing at {@code size} pixels.
   *
   * @param minSize the smallest image side the graph is fed
   */
  public static BackboneImageFeatures ofGraph(Path onnx, int size, int minSize) throws IOException {
    return new BackboneImageFeatures(
        ImageFeatureExtractor.ofGraph(
            onnx,
            PretrainedImageBackbones.mobileNetV2Input(size),
            minSize,
            EngineOptions.defaults()),
        readTapLayout(onnx));
  }

  /**
   * The tap layout of the graph ({@link TapSelection#LAYOUT_METADATA}, written by {@code
   * backbone-converter}), or null if it has none (the shipped graph is not asked).
   */
  public String tapLayout() {
    return tapLayout;
  }

  private static String readTapLayout(Path onnx) throws IOException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(onnx.toString(), options)) {
      return session.getMetadata().getCustomMetadata().get(TapSelection.LAYOUT_METADATA);
    } catch (OrtException e) {
      throw new IOException("cannot read the metadata of " + onnx + ": " + e.getMessage(), e);
    }
  }

  /** The backbone a bundle with a head on these features references. */
  public ImageBackboneSpec backbone() {
    return extractor.backbone();
  }

  @Override
  public String cacheKey() {
    ImageBackboneSpec b = extractor.backbone();
    return String.join(
        "/",
        b.name(),
        b.sha256(),
        "output=" + b.output(),
        "min-size=" + b.minSize(),
        "input=" + extractor.spec());
  }

  @Override
  public int dimension() {
    return extractor.dimension();
  }

  @Override
  public ImagePreprocessor preprocessor() {
    return extractor.preprocessor();
  }

  @Override
  public float[] features(float[] pixels, int rows) {
    float[][] out = extractor.features(pixels, rows);
    int dim = dimension();
    float[] flat = new float[rows * dim];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(out[r], 0, flat, r * dim, dim);
    }
    return flat;
  }

  @Override
  public void close() {
    extractor.close();
  }

  @Override
  public String toString() {
    return "BackboneImageFeatures[" + extractor + "]";
  }
}
