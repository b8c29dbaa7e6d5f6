package io.mmsearch.training.export;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mmsearch.training.model.DualEncoder;
import io.mmsearch.training.model.DualEncoderConfig;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Proves an export: runs the exported graphs in ONNX Runtime and the trained model in DJL on the
 * same inputs and compares the vectors row by row (cosine similarity). Random inputs cover every
 * token id range and length; real inputs cover the data the model was trained for.
 *
 * <p>Stateless; each call opens and closes its own ONNX Runtime sessions.
 */
public final class ExportParity {

  private ExportParity() {}

  /**
   * Real inputs for the check.
   *
   * @param pixels {@code rows x 3 x S x S} preprocessed images
   * @param tokens {@code rows x maxTokens} token ids padded with 0
   * @param lengths {@code rows} real token counts
   */
  public record Sample(float[] pixels, long[] tokens, long[] lengths, int rows) {}

  /** Compares DJL and ONNX Runtime on random inputs and on {@code real}. */
  public static ParityReport check(
      DualEncoder model,
      NDManager manager,
      byte[] imageOnnx,
      byte[] textOnnx,
      Sample real,
      long seed) {
    DualEncoderConfig config = model.config();
    int rows = real.rows();
    SplittableRandom random = new SplittableRandom(seed);
    int s = config.imageSize();
    float[] randomPixels = new float[rows * 3 * s * s];
    for (int i = 0; i < randomPixels.length; i++) {
      randomPixels[i] = (float) (random.nextDouble() * 4 - 2);
    }
    int t = config.maxTokens();
    long[] randomTokens = new long[rows * t];
    long[] randomLengths = new long[rows];
    for (int r = 0; r < rows; r++) {
      randomLengths[r] = r == 0 ? t : 1 + random.nextInt(t);
      for (int i = 0; i < randomLengths[r]; i++) {
        randomTokens[r * t + i] = 1 + random.nextInt(config.vocabularySize() - 1);
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession image = env.createSession(imageOnnx, options);
        OrtSession text = env.createSession(textOnnx, options)) {
      double imageRandom =
          minCosine(
              djlImage(model, manager, randomPixels, rows),
              ortImage(env, image, randomPixels, rows, s),
              rows);
      double imageReal =
          minCosine(
              djlImage(model, manager, real.pixels(), rows),
              ortImage(env, image, real.pixels(), rows, s),
              rows);
      double textRandom =
          minCosine(
              djlText(model, manager, randomTokens, randomLengths, rows, t),
              ortText(env, text, randomTokens, randomLengths, rows, t),
              rows);
      double textReal =
          Math.min(
              minCosine(
                  djlText(model, manager, real.tokens(), real.lengths(), rows, t),
                  ortText(env, text, real.tokens(), real.lengths(), rows, t),
                  rows),
              // the token axis is dynamic: a batch trimmed to its longest text must agree too
              minCosine(
                  djlText(model, manager, real.tokens(), real.lengths(), rows, t),
                  ortText(
                      env,
                      text,
                      trim(real.tokens(), rows, t, longest(real.lengths())),
                      real.lengths(),
                      rows,
                      longest(real.lengths())),
                  rows));
      return new ParityReport(imageRandom, imageReal, textRandom, textReal, rows);
    } catch (OrtException e) {
      throw new ExportParityException(
          "ONNX Runtime cannot run the exported graphs: " + e.getMessage());
    }
  }

  private static float[] djlImage(DualEncoder model, NDManager manager, float[] pixels, int rows) {
    int s = model.config().imageSize();
    try (NDManager scope = manager.newSubManager()) {
      NDList out =
          model
              .imageTower()
              .forward(
                  new ParameterStore(scope, false),
                  new NDList(scope.create(pixels, new Shape(rows, 3, s, s))),
                  false);
      return out.head().toFloatArray();
    }
  }

  private static float[] djlText(
      DualEncoder model, NDManager manager, long[] tokens, long[] lengths, int rows, int steps) {
    try (NDManager scope = manager.newSubManager()) {
      NDList out =
          model
              .textTower()
              .forward(
                  new ParameterStore(scope, false),
                  new NDList(scope.create(tokens, new Shape(rows, steps)), scope.create(lengths)),
                  false);
      return out.head().toFloatArray();
    }
  }

  private static float[] ortImage(
      OrtEnvironment env, OrtSession session, float[] pixels, int rows, int s) throws OrtException {
    try (OnnxTensor input =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), new long[] {rows, 3, s, s});
        OrtSession.Result result = session.run(Map.of(OnnxExport.PIXELS, input))) {
      return flatten((float[][]) result.get(0).getValue());
    }
  }

  private static float[] ortText(
      OrtEnvironment env, OrtSession session, long[] tokens, long[] lengths, int rows, int steps)
      throws OrtException {
    try (OnnxTensor t =
            OnnxTensor.createTensor(env, LongBuffer.wrap(tokens), new long[] {rows, steps});
        OnnxTensor l = OnnxTensor.createTensor(env, LongBuffer.wrap(lengths), new long[] {rows});
        OrtSession.Result result =
            session.run(Map.of(OnnxExport.TOKENS, t, OnnxExport.LENGTHS, l))) {
      return flatten((float[][]) result.get(0).getValue());
    }
  }

  private static int longest(long[] lengths) {
    long max = 1;
    for (long l : lengths) {
      max = Math.max(max, l);
    }
    return (int) max;
  }

  private static long[] trim(long[] tokens, int rows, int steps, int keep) {
    long[] out = new long[rows * keep];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(tokens, r * steps, out, r * keep, keep);
    }
    return out;
  }

  private static float[] flatten(float[][] rows) {
    int dim = rows[0].length;
    float[] flat = new float[rows.length * dim];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * dim, dim);
    }
    return flat;
  }

  /** Smallest row-wise cosine between two {@code rows x dim} matrices. */
  static double minCosine(float[] a, float[] b, int rows) {
    if (a.length != b.length) {
      throw new ExportParityException(
          "output sizes differ: DJL " + a.length + " values, ONNX Runtime " + b.length);
    }
    int dim = a.length / rows;
    double min = 1;
    for (int r = 0; r < rows; r++) {
      double dot = 0;
      double na = 0;
      double nb = 0;
      for (int d = 0; d < dim; d++) {
        dot += (double) a[r * dim + d] * b[r * dim + d];
        na += (double) a[r * dim + d] * a[r * dim + d];
        nb += (double) b[r * dim + d] * b[r * dim + d];
      }
      double cos = dot / Math.sqrt(na * nb);
      min = Math.min(min, Double.isNaN(cos) ? -1 : cos);
    }
    return min;
  }
}
