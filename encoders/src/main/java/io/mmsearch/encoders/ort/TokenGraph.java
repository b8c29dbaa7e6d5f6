package io.mmsearch.encoders.ort;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import io.mmsearch.encoders.EngineOptions;
import io.mmsearch.encoders.bundle.InvalidBundleException;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.text.Pooling;
import io.mmsearch.encoders.text.SubwordBatch;
import io.mmsearch.encoders.text.TokenGraphSpec;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A graph that takes token ids (a pretrained backbone, or a CLIP-style text tower) and, with its
 * declared {@link Pooling}, turns a {@link SubwordBatch} into one vector per text.
 *
 * <p>At load it checks, naming the file: that the graph's inputs are exactly the declared ones,
 * each int64 or int32 {@code [batch, seq]} with a dynamic batch; that the declared output exists,
 * is float32 and has the rank the pooling reads ({@code [batch, seq, width]} for mean/cls/eos,
 * {@code [batch, width]} for none); and that its width is the declared one (by a probe run if the
 * graph leaves it symbolic). A graph with a fixed sequence length gets every batch padded to it.
 *
 * <p>Thread-safe (one shared session). The owner closes it.
 */
final class TokenGraph implements AutoCloseable {
  private final OrtGraph graph;
  private final TokenGraphSpec spec;
  private final Map<String, OnnxJavaType> inputTypes;
  private final int fixedSeq;

  private TokenGraph(
      OrtGraph graph, TokenGraphSpec spec, Map<String, OnnxJavaType> inputTypes, int fixedSeq) {
    this.graph = graph;
    this.spec = spec;
    this.inputTypes = inputTypes;
    this.fixedSeq = fixedSeq;
  }

  /**
   * Loads and checks a token graph.
   *
   * @param width the declared width of the pooled vectors
   * @param maxTokens the tokenizer's longest row, which a fixed sequence length must hold
   * @throws InvalidBundleException naming the file and the mismatch
   */
  static TokenGraph load(
      Path bundleDir,
      String fileName,
      byte[] bytes,
      TokenGraphSpec spec,
      int width,
      int maxTokens,
      EngineOptions options)
      throws InvalidBundleException {
    OrtGraph graph = OrtGraph.open(bundleDir, fileName, bytes, spec.output(), options, width);
    try {
      Map<String, OnnxJavaType> types = new LinkedHashMap<>();
      int fixedSeq = checkInputs(bundleDir, fileName, graph, spec, maxTokens, types);
      boolean widthKnown = checkOutput(bundleDir, fileName, graph, spec, width);
      TokenGraph tokenGraph = new TokenGraph(graph, spec, types, fixedSeq);
      if (!widthKnown) {
        tokenGraph.probe(bundleDir, width);
      }
      return tokenGraph;
    } catch (OrtException e) {
      graph.close();
      throw new InvalidBundleException(
          bundleDir, fileName + ": cannot read its inputs and outputs: " + e.getMessage(), e);
    } catch (InvalidBundleException | RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** Returns the fixed sequence length, or 0 if it is dynamic. */
  private static int checkInputs(
      Path bundleDir,
      String fileName,
      OrtGraph graph,
      TokenGraphSpec spec,
      int maxTokens,
      Map<String, OnnxJavaType> types)
      throws OrtException, InvalidBundleException {
    Map<String, NodeInfo> actual = graph.inputInfo();
    Map<String, String> declared = spec.inputs();
    if (!actual.keySet().equals(new java.util.HashSet<>(declared.values()))) {
      throw new InvalidBundleException(
          bundleDir,
          fileName
              + " has inputs "
              + OrtGraph.describe(actual)
              + " but bundle.json declares "
              + declared
              + " (role -> graph input name)");
    }
    int fixedSeq = 0;
    for (String name : declared.values()) {
      if (!(actual.get(name).getInfo() instanceof TensorInfo t)) {
        throw new InvalidBundleException(
            bundleDir, fileName + " input " + name + " is not a tensor");
      }
      long[] shape = t.getShape();
      if (t.type != OnnxJavaType.INT64 && t.type != OnnxJavaType.INT32) {
        throw new InvalidBundleException(
            bundleDir,
            fileName
                + " input "
                + name
                + " has element type "
                + TensorContract.typeName(t.type)
                + "; token inputs must be int64 or int32 [batch,seq]");
      }
      if (shape.length != 2 || shape[0] >= 0) {
        throw new InvalidBundleException(
            bundleDir,
            fileName
                + " input "
                + name
                + " has shape "
                + Arrays.toString(shape)
                + "; token inputs must be [batch,seq] with a dynamic batch");
      }
      if (shape[1] >= 0) {
        if (shape[1] < maxTokens) {
          throw new InvalidBundleException(
              bundleDir,
              fileName
                  + " input "
                  + name
                  + " fixes the sequence length at "
                  + shape[1]
                  + ", shorter than text.max_tokens "
                  + maxTokens);
        }
        fixedSeq = Math.toIntExact(shape[1]);
      }
      types.put(name, t.type);
    }
    return fixedSeq;
  }

  /** Returns whether the output width is fixed in the graph (and so verified). */
  private static boolean checkOutput(
      Path bundleDir, String fileName, OrtGraph graph, TokenGraphSpec spec, int width)
      throws OrtException, InvalidBundleException {
    Map<String, NodeInfo> outputs = graph.outputInfo();
    NodeInfo out = outputs.get(spec.output());
    Pooling pooling = spec.pooling();
    String wanted =
        pooling.outputRank() == 3
            ? "float32 [batch,seq," + width + "] (pooling " + pooling.jsonName() + ")"
            : "float32 [batch," + width + "] (pooling none)";
    if (out == null) {
      throw new InvalidBundleException(
          bundleDir,
          fileName
              + " has outputs "
              + OrtGraph.describe(outputs)
              + " but bundle.json declares output "
              + spec.output()
              + " "
              + wanted);
    }
    if (!(out.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT) {
      throw new InvalidBundleException(
          bundleDir, fileName + " output " + spec.output() + " is not a float32 tensor: " + out);
    }
    long[] shape = t.getShape();
    if (shape.length != pooling.outputRank()) {
      throw new InvalidBundleException(
          bundleDir,
          "bundle.json declares pooling "
              + pooling.jsonName()
              + ", which reads an output of rank "
              + pooling.outputRank()
              + " "
              + wanted
              + ", but "
              + fileName
              + " output "
              + spec.output()
              + " has rank "
              + shape.length
              + " "
              + Arrays.toString(shape)
              + (shape.length == 2
                  ? "; declare pooling none for a graph that already pools"
                  : shape.length == 3 ? "; declare pooling mean, cls or eos" : ""));
    }
    long last = shape[shape.length - 1];
    if (last >= 0 && last != width) {
      throw new InvalidBundleException(
          bundleDir, widthMismatch(fileName, spec.output(), width, last));
    }
    return last >= 0;
  }

  private static String widthMismatch(String fileName, String output, int width, long actual) {
    return "bundle.json declares width "
        + width
        + " but "
        + fileName
        + " outputs "
        + actual
        + " floats per position in "
        + output;
  }

  private void probe(Path bundleDir, int width) throws InvalidBundleException {
    long[] ids = {1L};
    SubwordBatch one = new SubwordBatch(ids, new long[] {1L}, new long[] {0L}, new int[] {1}, 1);
    if (fixedSeq > 0) {
      long[] padded = new long[fixedSeq];
      long[] mask = new long[fixedSeq];
      padded[0] = 1;
      mask[0] = 1;
      one = new SubwordBatch(padded, mask, new long[fixedSeq], new int[] {1}, fixedSeq);
    }
    OrtGraph.RawOutput out;
    try (OrtGraph.Inputs in = inputs(one)) {
      out = graph.runRaw(in, 1);
    } catch (EncodingException e) {
      throw new InvalidBundleException(
          bundleDir, graph.fileName() + " fails on a one-row probe input: " + e.getMessage(), e);
    }
    long last = out.shape()[out.shape().length - 1];
    if (last != width) {
      throw new InvalidBundleException(
          bundleDir, widthMismatch(graph.fileName(), spec.output(), width, last));
    }
  }

  /** The sequence length batches must be padded to, or 0 to pad to the longest row. */
  int fixedSeq() {
    return fixedSeq;
  }

  /** Width of the pooled vectors. */
  int width() {
    return graph.dimension();
  }

  String fileName() {
    return graph.fileName();
  }

  /**
   * Runs one batch and pools it.
   *
   * @return one (unnormalised) vector per row of {@code batch}
   * @throws EncodingException naming the file if the run fails or returns another shape
   */
  float[][] pooled(SubwordBatch batch) {
    int rows = batch.size();
    OrtGraph.RawOutput out;
    try (OrtGraph.Inputs in = inputs(batch)) {
      out = graph.runRaw(in, rows);
    }
    long[] shape = out.shape();
    int width = graph.dimension();
    boolean ok =
        spec.pooling() == Pooling.NONE
            ? shape.length == 2 && shape[0] == rows && shape[1] == width
            : shape.length == 3 && shape[0] == rows && shape[1] == batch.seq() && shape[2] == width;
    if (!ok) {
      throw new EncodingException(
          graph.fileName()
              + " returned "
              + spec.output()
              + " of shape "
              + Arrays.toString(shape)
              + " for "
              + rows
              + " rows of "
              + batch.seq()
              + " tokens; expected width "
              + width);
    }
    return spec.pooling().pool(out.data(), rows, batch.seq(), width, batch.lengths());
  }

  private OrtGraph.Inputs inputs(SubwordBatch batch) {
    OrtGraph.Inputs in = graph.inputs();
    try {
      add(in, spec.inputIds(), batch.ids(), batch);
      if (spec.attentionMask() != null) {
        add(in, spec.attentionMask(), batch.attentionMask(), batch);
      }
      if (spec.tokenTypeIds() != null) {
        add(in, spec.tokenTypeIds(), batch.typeIds(), batch);
      }
      return in;
    } catch (RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private void add(OrtGraph.Inputs in, String name, long[] data, SubwordBatch batch) {
    long[] shape = {batch.size(), batch.seq()};
    if (inputTypes.get(name) == OnnxJavaType.INT32) {
      in.ints(name, data, shape);
    } else {
      in.longs(name, data, shape);
    }
  }

  @Override
  public void close() {
    graph.close();
  }

  @Override
  public String toString() {
    return "TokenGraph[" + graph.fileName() + ", " + spec + "]";
  }
}
