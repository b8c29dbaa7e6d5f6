package io.mmsearch.training.export;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.mmsearch.encoders.EncoderCriteria;
import io.mmsearch.encoders.Encoders;
import io.mmsearch.encoders.bundle.ModelBundle;
import io.mmsearch.training.data.TextBatch;
import io.mmsearch.training.loop.ModelInputs;
import io.mmsearch.training.model.DualEncoder;
import io.mmsearch.training.model.DualEncoderConfig;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Proves an export: runs the exported graphs in ONNX Runtime and the trained model in DJL on the
 * same inputs and compares the vectors row by row (cosine similarity). Random inputs cover every
 * token id range and length (BiLSTM) or the range of real features (backbone head); real inputs
 * cover the data the model was trained for.
 *
 * <p>Stateless; each call opens and closes its own ONNX Runtime sessions.
 */
public final class ExportParity {

  private ExportParity() {}

  /**
   * Real inputs for the check.
   *
   * @param images the rows' image inputs as the image tower reads them: {@code rows x 3 x S x S}
   *     preprocessed pixels, or {@code rows x F} backbone features of the images as preprocessed
   * @param imageShape the shape of one row's image input: {@code [3, S, S]} or {@code [F]}
   * @param imageFiles the rows' image files (for checks of the whole serving pipeline)
   * @param text the rows' first captions as the text tower reads them
   * @param texts those captions as text (for checks of the whole serving pipeline)
   */
  public record Sample(
      float[] images,
      long[] imageShape,
      List<java.nio.file.Path> imageFiles,
      TextBatch text,
      List<String> texts,
      int rows) {}

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
    float[] randomImages;
    if (config.hasImageBackbone()) {
      randomImages = randomLike(real.images(), rows, config.imageFeatureDim(), random);
    } else {
      randomImages = new float[real.images().length];
      for (int i = 0; i < randomImages.length; i++) {
        randomImages[i] = (float) (random.nextDouble() * 4 - 2);
      }
    }
    String imageInput = config.hasImageBackbone() ? OnnxExport.IMAGE_FEATURES : OnnxExport.PIXELS;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession image = env.createSession(imageOnnx, options);
        OrtSession text = env.createSession(textOnnx, options)) {
      double imageRandom =
          minCosine(
              djlImage(model, manager, randomImages, rows, real.imageShape()),
              ortImage(env, image, imageInput, randomImages, rows, real.imageShape()),
              rows);
      double imageReal =
          minCosine(
              djlImage(model, manager, real.images(), rows, real.imageShape()),
              ortImage(env, image, imageInput, real.images(), rows, real.imageShape()),
              rows);
      double[] textCosines =
          switch (real.text()) {
            case TextBatch.Tokens tokens -> tokenParity(model, manager, env, text, tokens, random);
            case TextBatch.Features features ->
                featureParity(model, manager, env, text, features, random);
          };
      return new ParityReport(imageRandom, imageReal, textCosines[0], textCosines[1], rows);
    } catch (OrtException e) {
      throw new ExportParityException(
          "ONNX Runtime cannot run the exported graphs: " + e.getMessage());
    }
  }

  /**
   * The smallest cosine between the bundle's whole serving text pipeline (ONNX Runtime engine:
   * tokenizer.json, backbone, pooling, head) on the real captions and the training computation (the
   * cached features through the DJL head).
   *
   * @throws IOException if the bundle cannot be opened
   */
  public static double pipeline(
      DualEncoder model, NDManager manager, ModelBundle bundle, Sample real) throws IOException {
    float[] training = djlText(model, manager, real.text());
    try (io.mmsearch.encoders.DualEncoder served =
        Encoders.open(EncoderCriteria.builder().bundle(bundle.directory()).build())) {
      List<float[]> vectors = served.text().encodeBatch(real.texts());
      int dim = vectors.get(0).length;
      float[] flat = new float[vectors.size() * dim];
      for (int i = 0; i < vectors.size(); i++) {
        System.arraycopy(vectors.get(i), 0, flat, i * dim, dim);
      }
      return minCosine(training, flat, real.rows());
    }
  }

  /**
   * The smallest cosine between the bundle's whole serving image pipeline (ONNX Runtime engine:
   * decode, preprocess, the frozen backbone, the head) on the real image files and the training
   * computation (the cached backbone features of the images as preprocessed through the DJL head).
   *
   * @throws IOException if the bundle cannot be opened or an image file read
   */
  public static double imagePipeline(
      DualEncoder model, NDManager manager, ModelBundle bundle, Sample real) throws IOException {
    float[] training = djlImage(model, manager, real.images(), real.rows(), real.imageShape());
    List<byte[]> bytes = new java.util.ArrayList<>();
    List<String> names = new java.util.ArrayList<>();
    for (java.nio.file.Path file : real.imageFiles()) {
      bytes.add(java.nio.file.Files.readAllBytes(file));
      names.add(file.toString());
    }
    try (io.mmsearch.encoders.DualEncoder served =
        Encoders.open(EncoderCriteria.builder().bundle(bundle.directory()).build())) {
      List<io.mmsearch.encoders.EncodingResult> results = served.image().encodeEach(bytes, names);
      int dim = model.config().embeddingDim();
      float[] flat = new float[results.size() * dim];
      for (int i = 0; i < results.size(); i++) {
        System.arraycopy(results.get(i).orThrow(), 0, flat, i * dim, dim);
      }
      return minCosine(training, flat, real.rows());
    }
  }

  /** BiLSTM: random token sequences of random lengths, and the real ones padded and trimmed. */
  private static double[] tokenParity(
      DualEncoder model,
      NDManager manager,
      OrtEnvironment env,
      OrtSession text,
      TextBatch.Tokens real,
      SplittableRandom random)
      throws OrtException {
    DualEncoderConfig config = model.config();
    int rows = real.rows();
    int t = config.maxTokens();
    long[] randomTokens = new long[rows * t];
    long[] randomLengths = new long[rows];
    for (int r = 0; r < rows; r++) {
      randomLengths[r] = r == 0 ? t : 1 + random.nextInt(t);
      for (int i = 0; i < randomLengths[r]; i++) {
        randomTokens[r * t + i] = 1 + random.nextInt(config.vocabularySize() - 1);
      }
    }
    TextBatch.Tokens randomBatch = new TextBatch.Tokens(randomTokens, randomLengths, rows, t);
    double textRandom =
        minCosine(
            djlText(model, manager, randomBatch),
            ortText(env, text, randomTokens, randomLengths, rows, t),
            rows);
    float[] djlReal = djlText(model, manager, real);
    // the token axis is dynamic: padded to max tokens and trimmed to the longest text must agree
    double textReal =
        Math.min(
            minCosine(
                djlReal,
                ortText(
                    env, text, pad(real.tokens(), rows, real.steps(), t), real.lengths(), rows, t),
                rows),
            minCosine(
                djlReal,
                ortText(env, text, real.tokens(), real.lengths(), rows, real.steps()),
                rows));
    return new double[] {textRandom, textReal};
  }

  /**
   * Backbone head: random features with each dimension's mean and spread taken from the real ones
   * (so the random rows lie where real features do), and the real features.
   */
  private static double[] featureParity(
      DualEncoder model,
      NDManager manager,
      OrtEnvironment env,
      OrtSession text,
      TextBatch.Features real,
      SplittableRandom random)
      throws OrtException {
    int rows = real.rows();
    int dim = real.dimension();
    float[] randomFeatures = randomLike(real.values(), rows, dim, random);
    TextBatch.Features randomBatch = new TextBatch.Features(randomFeatures, rows, dim);
    double textRandom =
        minCosine(
            djlText(model, manager, randomBatch),
            ortFeatures(env, text, randomFeatures, rows, dim),
            rows);
    double textReal =
        minCosine(
            djlText(model, manager, real), ortFeatures(env, text, real.values(), rows, dim), rows);
    return new double[] {textRandom, textReal};
  }

  /**
   * Random feature rows with each dimension's mean and spread taken from the real ones, so they lie
   * where real features do.
   */
  private static float[] randomLike(float[] real, int rows, int dim, SplittableRandom random) {
    float[] out = new float[rows * dim];
    for (int d = 0; d < dim; d++) {
      double mean = 0;
      double squares = 0;
      for (int r = 0; r < rows; r++) {
        mean += real[r * dim + d];
        squares += (double) real[r * dim + d] * real[r * dim + d];
      }
      mean /= rows;
      double std = Math.sqrt(Math.max(1e-6, squares / rows - mean * mean));
      for (int r = 0; r < rows; r++) {
        out[r * dim + d] = (float) (mean + 2 * std * gaussian(random));
      }
    }
    return out;
  }

  private static double gaussian(SplittableRandom random) {
    double u = Math.max(1e-12, random.nextDouble());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  /** The DJL image tower's vectors of {@code rows} image inputs of {@code shape} each. */
  static float[] djlImage(
      DualEncoder model, NDManager manager, float[] images, int rows, long[] shape) {
    try (NDManager scope = manager.newSubManager()) {
      NDList out =
          model
              .imageBlock()
              .forward(
                  new ParameterStore(scope, false),
                  new NDList(scope.create(images, batchShape(rows, shape))),
                  false);
      return out.head().toFloatArray();
    }
  }

  private static Shape batchShape(int rows, long[] itemShape) {
    long[] shape = new long[itemShape.length + 1];
    shape[0] = rows;
    System.arraycopy(itemShape, 0, shape, 1, itemShape.length);
    return new Shape(shape);
  }

  /** The DJL text tower's vectors of a text batch. */
  static float[] djlText(DualEncoder model, NDManager manager, TextBatch batch) {
    try (NDManager scope = manager.newSubManager()) {
      NDList out =
          model
              .textBlock()
              .forward(new ParameterStore(scope, false), ModelInputs.text(scope, batch), false);
      return out.head().toFloatArray();
    }
  }

  private static float[] ortImage(
      OrtEnvironment env,
      OrtSession session,
      String inputName,
      float[] images,
      int rows,
      long[] shape)
      throws OrtException {
    try (OnnxTensor input =
            OnnxTensor.createTensor(
                env, FloatBuffer.wrap(images), batchShape(rows, shape).getShape());
        OrtSession.Result result = session.run(Map.of(inputName, input))) {
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

  private static float[] ortFeatures(
      OrtEnvironment env, OrtSession session, float[] features, int rows, int dim)
      throws OrtException {
    try (OnnxTensor f =
            OnnxTensor.createTensor(env, FloatBuffer.wrap(features), new long[] {rows, dim});
        OrtSession.Result result = session.run(Map.of(OnnxExport.FEATURES, f))) {
      return flatten((float[][]) result.get(0).getValue());
    }
  }

  private static long[] pad(long[] tokens, int rows, int steps, int width) {
    long[] out = new long[rows * width];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(tokens, r * steps, out, r * width, Math.min(steps, width));
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
