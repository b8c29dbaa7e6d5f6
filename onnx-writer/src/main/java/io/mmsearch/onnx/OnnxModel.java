package io.mmsearch.onnx;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A complete ONNX model ({@code ModelProto}, IR version {@value #IR_VERSION}, default-domain opset
 * {@value #OPSET_VERSION}, producer {@value #PRODUCER_NAME}) ready to be written.
 *
 * <p>Instances are immutable and thread-safe; they are made by {@link OnnxGraphBuilder#build()}.
 * Serialisation holds the whole model in memory, which suits the small encoders this project trains
 * (a few tens of megabytes at most; protobuf limits a single file to 2 GiB anyway).
 */
public final class OnnxModel {

  /** ONNX IR version written to {@code ModelProto.ir_version}. */
  public static final int IR_VERSION = 8;

  /** Version of the default ({@code ""}) operator set the graphs use. */
  public static final int OPSET_VERSION = 17;

  /** Written to {@code ModelProto.producer_name}. */
  public static final String PRODUCER_NAME = "mmsearch";

  // ModelProto
  private static final int MODEL_IR_VERSION = 1;
  private static final int MODEL_PRODUCER_NAME = 2;
  private static final int MODEL_DOC_STRING = 6;
  private static final int MODEL_GRAPH = 7;
  private static final int MODEL_OPSET_IMPORT = 8;
  private static final int MODEL_METADATA_PROPS = 14;
  // OperatorSetIdProto
  private static final int OPSET_DOMAIN = 1;
  private static final int OPSET_VERSION_FIELD = 2;
  // StringStringEntryProto
  private static final int ENTRY_KEY = 1;
  private static final int ENTRY_VALUE = 2;
  // GraphProto
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_NAME = 2;
  private static final int GRAPH_INITIALIZER = 5;
  private static final int GRAPH_INPUT = 11;
  private static final int GRAPH_OUTPUT = 12;

  private final String graphName;
  private final String docString;
  private final List<ValueInfo> inputs;
  private final List<ValueInfo> outputs;
  private final List<Initializer> initializers;
  private final List<Node> nodes;
  private final Map<String, String> metadata; // insertion order kept

  OnnxModel(
      String graphName,
      String docString,
      List<ValueInfo> inputs,
      List<ValueInfo> outputs,
      List<Initializer> initializers,
      List<Node> nodes,
      LinkedHashMap<String, String> metadata) {
    this.graphName = graphName;
    this.docString = docString;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.initializers = List.copyOf(initializers);
    this.nodes = List.copyOf(nodes);
    this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** Name of the graph. */
  public String graphName() {
    return graphName;
  }

  /** Names of the graph inputs, in declaration order. */
  public List<String> inputNames() {
    return inputs.stream().map(ValueInfo::name).toList();
  }

  /** Names of the graph outputs, in declaration order. */
  public List<String> outputNames() {
    return outputs.stream().map(ValueInfo::name).toList();
  }

  /** Number of nodes in the graph. */
  public int nodeCount() {
    return nodes.size();
  }

  /** The model's {@code metadata_props}, in insertion order. */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** Serialises the model in the ONNX protobuf wire format. */
  public byte[] toByteArray() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(estimatedSize());
    try {
      writeTo(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise ONNX model", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Writes the serialised model to {@code file}, replacing it if it exists.
   *
   * @throws IOException if the file cannot be written
   */
  public void writeTo(Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      writeTo(out);
    }
  }

  /**
   * Writes the serialised model to {@code out}; the caller keeps and closes the stream.
   *
   * @throws IOException if the stream fails
   */
  public void writeTo(OutputStream out) throws IOException {
    CodedOutputStream coded = CodedOutputStream.newInstance(out);
    writeModel(coded);
    coded.flush();
  }

  private int estimatedSize() {
    long raw = 0;
    for (Initializer initializer : initializers) {
      raw += initializer.rawData().length;
    }
    return (int) Math.min(Integer.MAX_VALUE - 8, raw + 64 * 1024);
  }

  private void writeModel(CodedOutputStream out) throws IOException {
    out.writeInt64(MODEL_IR_VERSION, IR_VERSION);
    out.writeString(MODEL_PRODUCER_NAME, PRODUCER_NAME);
    if (!docString.isEmpty()) {
      out.writeString(MODEL_DOC_STRING, docString);
    }
    writeGraph(out);
    ProtoWire.writeMessage(
        out,
        MODEL_OPSET_IMPORT,
        opset -> {
          opset.writeString(OPSET_DOMAIN, "");
          opset.writeInt64(OPSET_VERSION_FIELD, OPSET_VERSION);
        });
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      ProtoWire.writeMessage(
          out,
          MODEL_METADATA_PROPS,
          e -> {
            e.writeString(ENTRY_KEY, entry.getKey());
            e.writeString(ENTRY_VALUE, entry.getValue());
          });
    }
  }

  /**
   * Writes the graph as one length-delimited field. The small messages are serialised up front to
   * learn their sizes; initializers compute theirs, so their (possibly large) weights are copied
   * only once, straight into the output.
   */
  private void writeGraph(CodedOutputStream out) throws IOException {
    List<byte[]> nodeBytes = serializeAll(nodes, n -> n::writeTo);
    List<byte[]> inputBytes = serializeAll(inputs, v -> v::writeTo);
    List<byte[]> outputBytes = serializeAll(outputs, v -> v::writeTo);
    long size = CodedOutputStream.computeStringSize(GRAPH_NAME, graphName);
    size += sizeOfAll(GRAPH_NODE, nodeBytes);
    size += sizeOfAll(GRAPH_INPUT, inputBytes);
    size += sizeOfAll(GRAPH_OUTPUT, outputBytes);
    for (Initializer initializer : initializers) {
      int s = initializer.serializedSize();
      size +=
          CodedOutputStream.computeTagSize(GRAPH_INITIALIZER)
              + CodedOutputStream.computeUInt32SizeNoTag(s)
              + (long) s;
    }
    if (size > Integer.MAX_VALUE) {
      throw new IllegalStateException(
          "graph '"
              + graphName
              + "' is "
              + size
              + " bytes; ONNX protobuf files are limited to 2 GiB");
    }
    out.writeTag(MODEL_GRAPH, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag((int) size);
    for (byte[] node : nodeBytes) {
      out.writeByteArray(GRAPH_NODE, node);
    }
    out.writeString(GRAPH_NAME, graphName);
    for (Initializer initializer : initializers) {
      out.writeTag(GRAPH_INITIALIZER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(initializer.serializedSize());
      initializer.writeTo(out);
    }
    for (byte[] input : inputBytes) {
      out.writeByteArray(GRAPH_INPUT, input);
    }
    for (byte[] output : outputBytes) {
      out.writeByteArray(GRAPH_OUTPUT, output);
    }
  }

  private static <T> List<byte[]> serializeAll(List<T> messages, Function<T, ProtoWire.Body> body) {
    List<byte[]> serialized = new ArrayList<>(messages.size());
    for (T message : messages) {
      serialized.add(ProtoWire.serialize(body.apply(message)));
    }
    return serialized;
  }

  private static long sizeOfAll(int field, List<byte[]> serialized) {
    long size = 0;
    for (byte[] bytes : serialized) {
      size += CodedOutputStream.computeByteArraySize(field, bytes);
    }
    return size;
  }
}
