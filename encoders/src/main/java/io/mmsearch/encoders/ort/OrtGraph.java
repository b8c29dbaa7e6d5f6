package io.mmsearch.encoders.ort;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.mmsearch.encoders.EngineOptions;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.error.EncodingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One ONNX graph loaded into one {@link OrtSession}, checked against the bundle contract, that
 * turns input tensors into rows of its embedding output ({@code embedding} unless the bundle names
 * another), or, through {@link #runRaw}, into any output it has.
 *
 * <p>Thread-safe: {@link OrtSession#run} may be called concurrently, so every thread shares this
 * one session. The owner closes it; {@link #run} must not race {@link #close}.
 */
final class OrtGraph implements AutoCloseable {
  static final String OUTPUT = "embedding";

  /** Property naming the inter-op thread count (parallelism across independent graph nodes). */
  static final String INTER_OP_THREADS = "ort.inter_op_threads";

  /** Properties with this prefix become session configuration entries, prefix removed. */
  static final String CONFIG_PREFIX = "ort.config.";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final String fileName;
  private final int dimension;
  private final String output;

  /** Graphs may have further outputs (e.g. intermediate features); they are not computed. */
  private final Set<String> onlyOutput;

  private final DirectBufferPool buffers =
      new DirectBufferPool(2 * Runtime.getRuntime().availableProcessors());

  private OrtGraph(
      OrtEnvironment env, OrtSession session, String fileName, int dimension, String output) {
    this.env = env;
    this.session = session;
    this.fileName = fileName;
    this.dimension = dimension;
    this.output = output;
    this.onlyOutput = Set.of(output);
  }

  /**
   * Loads {@code file} and checks that its inputs are exactly {@code inputs}, that it has an
   * {@value #OUTPUT} float32 {@code [batch, dimension]} output, and, if the graph leaves that
   * dimension symbolic, that a probe run with {@code probe}'s tensors outputs {@code dimension}
   * floats per row.
   *
   * @param probe makes a one-row input (by input name) for the probe run
   * @throws InvalidBundleException naming the file and what does not match
   */
  static OrtGraph load(
      Path bundleDir,
      Path file,
      EngineOptions options,
      List<TensorContract> inputs,
      int dimension,
      Function<OrtEnvironment, Map<String, OnnxTensor>> probe)
      throws IOException {
    return load(bundleDir, file, OUTPUT, options, inputs, dimension, probe);
  }

  /** {@link #load(Path, Path, EngineOptions, List, int, Function)} with another output name. */
  static OrtGraph load(
      Path bundleDir,
      Path file,
      String output,
      EngineOptions options,
      List<TensorContract> inputs,
      int dimension,
      Function<OrtEnvironment, Map<String, OnnxTensor>> probe)
      throws IOException {
    return load(
        bundleDir,
        file.getFileName().toString(),
        Files.readAllBytes(file),
        output,
        options,
        inputs,
        dimension,
        probe);
  }

  /** {@link #load(Path, Path, String, EngineOptions, List, int, Function)} of bytes in memory. */
  static OrtGraph load(
      Path bundleDir,
      String fileName,
      byte[] bytes,
      String output,
      EngineOptions options,
      List<TensorContract> inputs,
      int dimension,
      Function<OrtEnvironment, Map<String, OnnxTensor>> probe)
      throws IOException {
    OrtGraph graph = open(bundleDir, fileName, bytes, output, options, dimension);
    try {
      boolean outputDimensionKnown = graph.checkSignature(bundleDir, inputs);
      if (!outputDimensionKnown) {
        graph.probe(bundleDir, probe);
      }
      return graph;
    } catch (OrtException e) {
      graph.close();
      throw new InvalidBundleException(
          bundleDir, graph.fileName + ": cannot read its inputs and outputs: " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /**
   * Creates the session without checking the signature (the caller does, through {@link
   * #inputInfo()} and {@link #outputInfo()}).
   *
   * @param output the output {@link #run} and {@link #runRaw} read
   * @param dimension the width of the output's last axis
   * @throws InvalidBundleException naming the file if ONNX Runtime cannot load it
   */
  static OrtGraph open(
      Path bundleDir,
      String fileName,
      byte[] bytes,
      String output,
      EngineOptions options,
      int dimension)
      throws InvalidBundleException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession session;
    try (OrtSession.SessionOptions so = sessionOptions(options)) {
      try {
        session = env.createSession(bytes, so);
      } catch (OrtException e) {
        throw new InvalidBundleException(
            bundleDir, fileName + " is not a loadable ONNX model: " + e.getMessage(), e);
      }
    } catch (OrtException e) {
      throw new IllegalArgumentException("ONNX Runtime rejects the options " + options, e);
    }
    return new OrtGraph(env, session, fileName, dimension, output);
  }

  Map<String, NodeInfo> inputInfo() throws OrtException {
    return session.getInputInfo();
  }

  Map<String, NodeInfo> outputInfo() throws OrtException {
    return session.getOutputInfo();
  }

  String output() {
    return output;
  }

  private static OrtSession.SessionOptions sessionOptions(EngineOptions options)
      throws OrtException {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    try {
      if (options.intraOpThreads() > 0) {
        so.setIntraOpNumThreads(options.intraOpThreads());
      }
      String inter = options.property(INTER_OP_THREADS, null);
      if (inter != null) {
        so.setInterOpNumThreads(integerProperty(INTER_OP_THREADS, inter));
      }
      for (Map.Entry<String, String> e : options.properties().entrySet()) {
        if (e.getKey().startsWith(CONFIG_PREFIX)) {
          so.addConfigEntry(e.getKey().substring(CONFIG_PREFIX.length()), e.getValue());
        }
      }
      so.setOptimizationLevel(
          switch (options.optimizationLevel()) {
            case NONE -> OptLevel.NO_OPT;
            case BASIC -> OptLevel.BASIC_OPT;
            case EXTENDED -> OptLevel.EXTENDED_OPT;
            case ALL -> OptLevel.ALL_OPT;
          });
      return so;
    } catch (OrtException | RuntimeException e) {
      so.close();
      throw e;
    }
  }

  /** Parses an integer engine property, naming it if it is not one. */
  static int integerProperty(String name, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "engine property " + name + " must be an integer, got '" + value + "'", e);
    }
  }

  /** Returns whether the output's embedding dimension is fixed in the graph (and so verified). */
  private boolean checkSignature(Path bundleDir, List<TensorContract> expected)
      throws OrtException, InvalidBundleException {
    Map<String, NodeInfo> actualInputs = session.getInputInfo();
    List<String> expectedNames = expected.stream().map(TensorContract::name).toList();
    if (!actualInputs.keySet().equals(new HashSet<>(expectedNames))) {
      throw new InvalidBundleException(
          bundleDir,
          fileName
              + " has inputs "
              + describe(actualInputs)
              + " but the bundle contract needs "
              + expected);
    }
    for (TensorContract c : expected) {
      checkTensor(bundleDir, c, actualInputs.get(c.name()).getInfo(), "input");
    }
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    NodeInfo out = outputs.get(output);
    if (out == null) {
      throw new InvalidBundleException(
          bundleDir,
          fileName
              + " has outputs "
              + describe(outputs)
              + " but the bundle contract needs "
              + output
              + " float32 [batch,"
              + dimension
              + "]");
    }
    TensorContract outContract =
        new TensorContract(
            output, OnnxJavaType.FLOAT, new long[] {TensorContract.BATCH, TensorContract.ANY});
    TensorInfo info = checkTensor(bundleDir, outContract, out.getInfo(), "output");
    long d = info.getShape()[1];
    if (d >= 0 && d != dimension) {
      throw new InvalidBundleException(bundleDir, dimensionMismatch(d));
    }
    return d >= 0;
  }

  private String dimensionMismatch(long actual) {
    return "bundle.json declares dimension "
        + dimension
        + " but "
        + fileName
        + " outputs "
        + actual
        + " floats per "
        + output;
  }

  /** Checks type and rank, that the batch dimension is dynamic, and that fixed sizes match. */
  TensorInfo checkTensor(Path bundleDir, TensorContract c, ValueInfo v, String role)
      throws InvalidBundleException {
    if (!(v instanceof TensorInfo t)) {
      throw new InvalidBundleException(
          bundleDir, fileName + " " + role + " " + c.name() + " is not a tensor but " + v);
    }
    long[] shape = t.getShape();
    String problem = null;
    if (t.type != c.type()) {
      problem = "has element type " + TensorContract.typeName(t.type);
    } else if (shape.length != c.shape().length) {
      problem = "has rank " + shape.length;
    } else {
      for (int i = 0; i < shape.length && problem == null; i++) {
        long want = c.shape()[i];
        if (want == TensorContract.BATCH && shape[i] >= 0) {
          problem = "fixes the batch dimension at " + shape[i] + " (it must be dynamic)";
        } else if (want >= 0 && shape[i] >= 0 && shape[i] != want) {
          problem = "has size " + shape[i] + " at axis " + i + " where the bundle declares " + want;
        }
      }
    }
    if (problem != null) {
      String wanted =
          c.shape().length == 2 && c.shape()[1] == TensorContract.ANY
              ? c.name() + " " + TensorContract.typeName(c.type()) + " [batch," + dimension + "]"
              : c.describe();
      throw new InvalidBundleException(
          bundleDir,
          fileName
              + " "
              + role
              + " "
              + c.name()
              + " "
              + problem
              + "; shape "
              + Arrays.toString(shape)
              + ", contract "
              + wanted);
    }
    return t;
  }

  private void probe(Path bundleDir, Function<OrtEnvironment, Map<String, OnnxTensor>> probe)
      throws InvalidBundleException {
    Map<String, OnnxTensor> inputs = probe.apply(env);
    try (OrtSession.Result r = session.run(inputs, onlyOutput)) {
      long[] shape = ((OnnxTensor) r.get(output).orElseThrow()).getInfo().getShape();
      if (shape.length != 2 || shape[1] != dimension) {
        throw new InvalidBundleException(
            bundleDir, dimensionMismatch(shape.length == 2 ? shape[1] : -1));
      }
    } catch (OrtException e) {
      throw new InvalidBundleException(
          bundleDir, fileName + " fails on a one-row probe input: " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  static String describe(Map<String, NodeInfo> nodes) {
    List<String> parts = new ArrayList<>();
    for (NodeInfo n : nodes.values()) {
      if (n.getInfo() instanceof TensorInfo t) {
        parts.add(
            n.getName()
                + " "
                + TensorContract.typeName(t.type)
                + " "
                + Arrays.toString(t.getShape()));
      } else {
        parts.add(n.getName() + " " + n.getInfo());
      }
    }
    return parts.toString();
  }

  OrtEnvironment environment() {
    return env;
  }

  int dimension() {
    return dimension;
  }

  String fileName() {
    return fileName;
  }

  /**
   * Runs the graph once on {@code rows} rows and returns the raw {@code embedding} rows. The caller
   * closes {@code inputs} afterwards.
   *
   * @throws EncodingException naming the file if ONNX Runtime fails or the output has the wrong
   *     shape
   */
  float[][] run(Inputs inputs, int rows) {
    try (OrtSession.Result r = session.run(inputs.tensors(), onlyOutput)) {
      OnnxValue value = r.get(output).orElseThrow();
      OnnxTensor out = (OnnxTensor) value;
      long[] shape = out.getInfo().getShape();
      if (shape.length != 2 || shape[0] != rows || shape[1] != dimension) {
        throw new EncodingException(
            fileName
                + " returned "
                + output
                + " of shape "
                + Arrays.toString(shape)
                + " for "
                + rows
                + " inputs; expected ["
                + rows
                + ","
                + dimension
                + "]");
      }
      FloatBuffer fb = out.getFloatBuffer();
      float[][] vectors = new float[rows][dimension];
      for (float[] v : vectors) {
        fb.get(v);
      }
      return vectors;
    } catch (OrtException e) {
      throw new EncodingException(
          fileName + " failed on a batch of " + rows + ": " + e.getMessage(), e);
    }
  }

  /**
   * The output of one run, row-major, with its shape.
   *
   * @param data the floats; the caller's
   * @param shape its dimensions
   */
  record RawOutput(float[] data, long[] shape) {}

  /**
   * Runs the graph once and returns its output whatever its rank. The caller closes {@code inputs}
   * afterwards and checks the shape.
   *
   * @throws EncodingException naming the file if ONNX Runtime fails
   */
  RawOutput runRaw(Inputs inputs, int rows) {
    try (OrtSession.Result r = session.run(inputs.tensors(), onlyOutput)) {
      OnnxTensor out = (OnnxTensor) r.get(output).orElseThrow();
      long[] shape = out.getInfo().getShape();
      FloatBuffer fb = out.getFloatBuffer();
      float[] data = new float[fb.remaining()];
      fb.get(data);
      return new RawOutput(data, shape);
    } catch (OrtException e) {
      throw new EncodingException(
          fileName + " failed on a batch of " + rows + ": " + e.getMessage(), e);
    }
  }

  /** Starts the input tensors of one call. */
  Inputs inputs() {
    return new Inputs();
  }

  /**
   * The input tensors of one call, over pooled direct buffers. Closing it closes the tensors and
   * returns the buffers, so close it only after {@link #run} has returned.
   */
  final class Inputs implements AutoCloseable {
    private final Map<String, OnnxTensor> tensors = new HashMap<>();
    private final List<ByteBuffer> borrowed = new ArrayList<>();

    /** Adds a float32 tensor holding {@code data[0, product(shape))}. */
    Inputs floats(String name, float[] data, long... shape) {
      int n = elements(shape);
      ByteBuffer b = borrow(n * Float.BYTES);
      FloatBuffer view = b.asFloatBuffer();
      view.put(data, 0, n).flip();
      return add(name, () -> OnnxTensor.createTensor(env, view, shape));
    }

    /** Adds an int32 tensor holding {@code data[0, product(shape))}, narrowed from longs. */
    Inputs ints(String name, long[] data, long... shape) {
      int n = elements(shape);
      ByteBuffer b = borrow(n * Integer.BYTES);
      IntBuffer view = b.asIntBuffer();
      for (int i = 0; i < n; i++) {
        view.put(Math.toIntExact(data[i]));
      }
      view.flip();
      return add(name, () -> OnnxTensor.createTensor(env, view, shape));
    }

    /** Adds an int64 tensor holding {@code data[0, product(shape))}. */
    Inputs longs(String name, long[] data, long... shape) {
      int n = elements(shape);
      ByteBuffer b = borrow(n * Long.BYTES);
      LongBuffer view = b.asLongBuffer();
      view.put(data, 0, n).flip();
      return add(name, () -> OnnxTensor.createTensor(env, view, shape));
    }

    private ByteBuffer borrow(int bytes) {
      ByteBuffer b = buffers.acquire(bytes);
      borrowed.add(b);
      return b;
    }

    private Inputs add(String name, TensorMaker maker) {
      try {
        tensors.put(name, maker.make());
        return this;
      } catch (OrtException e) {
        close();
        throw new EncodingException(fileName + ": cannot create input tensor " + name, e);
      }
    }

    Map<String, OnnxTensor> tensors() {
      return tensors;
    }

    @Override
    public void close() {
      tensors.values().forEach(OnnxTensor::close);
      tensors.clear();
      borrowed.forEach(buffers::release);
      borrowed.clear();
    }
  }

  @FunctionalInterface
  private interface TensorMaker {
    OnnxTensor make() throws OrtException;
  }

  private static int elements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return Math.toIntExact(n);
  }

  @Override
  public void close() {
    buffers.clear();
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("closing the session of " + fileName + " failed", e);
    }
  }
}
