package io.mmsearch.encoders.ort;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import io.mmsearch.encoders.EngineOptions;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.image.ImageBackboneSpec;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An image backbone's session: preprocessed pixels {@code [rows, 3, S, S]} in, unnormalised
 * features {@code [rows, F]} out, checked at load against its {@link ImageBackboneSpec}.
 *
 * <p>Thread-safe (one shared {@code OrtSession}); the owner ({@link SharedBackbones} or an
 * extractor of an unpinned graph) closes it.
 */
final class ImageBackboneGraph implements AutoCloseable {
  /** Rows per backbone run: bounds the activations' memory (about 40 MB at 128 px). */
  static final int ROWS_PER_RUN = 32;

  private final OrtGraph graph;
  private final ImageBackboneSpec spec;

  private ImageBackboneGraph(OrtGraph graph, ImageBackboneSpec spec) {
    this.graph = graph;
    this.spec = spec;
  }

  /**
   * Loads the backbone's bytes and checks its input, output and width.
   *
   * @param size the image side callers will feed; must not be below the spec's minimum
   * @throws InvalidBundleException naming the file and the mismatch
   */
  static ImageBackboneGraph load(
      Path bundleDir, ImageBackboneSpec spec, byte[] bytes, int size, EngineOptions options)
      throws IOException {
    checkSize(bundleDir, spec, size);
    List<TensorContract> inputs =
        List.of(
            new TensorContract(
                spec.input(),
                OnnxJavaType.FLOAT,
                new long[] {TensorContract.BATCH, 3, size, size}));
    OrtGraph graph =
        OrtGraph.load(
            bundleDir,
            spec.file(),
            bytes,
            spec.output(),
            options,
            inputs,
            spec.dimension(),
            env -> {
              try {
                return Map.of(
                    spec.input(),
                    OnnxTensor.createTensor(
                        env,
                        FloatBuffer.wrap(new float[3 * size * size]),
                        new long[] {1, 3, size, size}));
              } catch (OrtException e) {
                throw new IllegalStateException("cannot create a probe tensor", e);
              }
            });
    return new ImageBackboneGraph(graph, spec);
  }

  /**
   * @throws InvalidBundleException if {@code size} is below the backbone's minimum
   */
  static void checkSize(Path bundleDir, ImageBackboneSpec spec, int size)
      throws InvalidBundleException {
    if (size < spec.minSize()) {
      throw new InvalidBundleException(
          bundleDir,
          "image.size "
              + size
              + " is below the "
              + spec.minSize()
              + " px the image backbone "
              + spec.name()
              + " needs at least");
    }
  }

  ImageBackboneSpec spec() {
    return spec;
  }

  String fileName() {
    return graph.fileName();
  }

  /**
   * Features of {@code rows} images laid out as {@code [rows, 3, size, size]} in {@code pixels},
   * {@value #ROWS_PER_RUN} rows per run.
   *
   * @throws io.mmsearch.encoders.error.EncodingException naming the file if ONNX Runtime fails
   */
  float[][] run(float[] pixels, int rows, int size) {
    int per = 3 * size * size;
    if ((long) rows * per > pixels.length) {
      throw new IllegalArgumentException(
          pixels.length + " floats do not hold " + rows + " images of " + size + " px");
    }
    float[][] out = new float[rows][];
    float[] chunk = rows > ROWS_PER_RUN ? new float[ROWS_PER_RUN * per] : pixels;
    for (int from = 0; from < rows; from += ROWS_PER_RUN) {
      int n = Math.min(ROWS_PER_RUN, rows - from);
      float[] input = pixels;
      if (chunk != pixels) {
        System.arraycopy(pixels, from * per, chunk, 0, n * per);
        input = chunk;
      }
      try (OrtGraph.Inputs in = graph.inputs().floats(spec.input(), input, n, 3, size, size)) {
        float[][] part = graph.run(in, n);
        System.arraycopy(part, 0, out, from, n);
      }
    }
    return out;
  }

  @Override
  public void close() {
    graph.close();
  }
}
