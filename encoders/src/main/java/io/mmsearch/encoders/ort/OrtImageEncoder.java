package io.mmsearch.encoders.ort;

import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.ImageEncoder;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.image.ImageDecodingException;
import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.encoders.image.PreprocessedBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link ImageEncoder} on ONNX Runtime: {@link ImagePreprocessor} turns files into one {@code
 * pixels} tensor; one {@code OrtSession.run} per call turns it into {@code embedding} rows, or, for
 * a bundle with an image backbone, the shared backbone session turns it into features and the
 * bundle's head turns those into {@code embedding} rows.
 *
 * <p>Thread-safe: the preprocessor is immutable and the sessions are shared. Owns the graph (the
 * head) and its lease on the backbone.
 */
final class OrtImageEncoder implements ImageEncoder {
  private final OrtGraph graph;
  private final ImagePreprocessor preprocessor;
  private final String input;
  private final ImageBackboneGraph backbone;
  private final AutoCloseable backboneLease;

  /**
   * @param input the graph's pixel input name ({@code pixels}, or e.g. {@code pixel_values})
   */
  OrtImageEncoder(OrtGraph graph, ImagePreprocessor preprocessor, String input) {
    this(graph, preprocessor, input, null, null);
  }

  /**
   * @param head the head on the backbone's features
   * @param input the head's feature input name
   * @param backbone the backbone before it (null: {@code head} takes pixels)
   * @param backboneLease released on close
   */
  OrtImageEncoder(
      OrtGraph head,
      ImagePreprocessor preprocessor,
      String input,
      ImageBackboneGraph backbone,
      AutoCloseable backboneLease) {
    this.graph = head;
    this.preprocessor = preprocessor;
    this.input = input;
    this.backbone = backbone;
    this.backboneLease = backboneLease;
  }

  @Override
  public int dimension() {
    return graph.dimension();
  }

  @Override
  public float[] encode(byte[] imageBytes, String itemName) {
    float[] pixels = preprocessor.preprocess(imageBytes, itemName);
    float[] v = run(pixels, 1)[0];
    if (!UnitLength.normalise(v)) {
      throw notNormalisable(itemName, v);
    }
    return v;
  }

  @Override
  public List<EncodingResult> encodeEach(List<byte[]> images, List<String> itemNames) {
    PreprocessedBatch batch = preprocessor.preprocessBatch(images, itemNames);
    EncodingResult[] results = resultSlots(batch);
    if (batch.size() > 0) {
      float[][] rows = run(batch.tensor(), batch.size());
      for (int row = 0; row < rows.length; row++) {
        int source = batch.sourceIndex(row);
        float[] v = rows[row];
        results[source] =
            UnitLength.normalise(v)
                ? EncodingResult.of(v)
                : EncodingResult.failed(notNormalisable(itemNames.get(source), v));
      }
    }
    return new ArrayList<>(Arrays.asList(results));
  }

  /**
   * One result slot per input item of {@code batch}: each item that was left out holds its failure
   * (an {@link ImageDecodingException}), the others are null for the caller to fill from the
   * tensor's rows ({@link PreprocessedBatch#sourceIndex}).
   */
  static EncodingResult[] resultSlots(PreprocessedBatch batch) {
    EncodingResult[] results = new EncodingResult[batch.size() + batch.failures().size()];
    for (PreprocessedBatch.ItemFailure f : batch.failures()) {
      results[f.index()] =
          EncodingResult.failed(new ImageDecodingException(f.itemName(), f.reason()));
    }
    return results;
  }

  private float[][] run(float[] pixels, int rows) {
    int size = preprocessor.spec().size();
    if (backbone != null) {
      float[][] features = backbone.run(pixels, rows, size);
      int f = backbone.spec().dimension();
      float[] flat = new float[rows * f];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(features[r], 0, flat, r * f, f);
      }
      try (OrtGraph.Inputs in = graph.inputs().floats(input, flat, rows, f)) {
        return graph.run(in, rows);
      }
    }
    try (OrtGraph.Inputs in =
        graph.inputs().floats(input, pixels, rows, preprocessor.spec().channels(), size, size)) {
      return graph.run(in, rows);
    }
  }

  private EncodingException notNormalisable(String itemName, float[] v) {
    return new EncodingException(
        itemName
            + ": "
            + graph.fileName()
            + " returned a vector that cannot be L2-normalised (zero or not finite), starting "
            + Arrays.toString(Arrays.copyOf(v, Math.min(4, v.length))));
  }

  @Override
  public void close() {
    try {
      graph.close();
    } finally {
      if (backboneLease != null) {
        try {
          backboneLease.close();
        } catch (Exception e) {
          throw new IllegalStateException("releasing the image backbone failed", e);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "OrtImageEncoder[" + graph.fileName() + ", dimension=" + dimension() + "]";
  }
}
