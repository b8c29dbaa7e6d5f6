package io.mmsearch.encoders.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

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
  private final SequencedMap<String, String> metadata;

  OnnxModel(
      String graphName,
      String docString,
      List<ValueInfo> inputs,
      List<ValueInfo> outputs,
      List<Initializer> initializers,
      List<Node> nodes,
      SequencedMap<String, String> metadata) {
    this.graphName = graphName;
    this.docString = docString;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.initializers = List.copyOf(initializers);
    this.nodes = List.copyOf(nodes);
    this.metadata = Collections.unmodifiableSequencedMap(new LinkedHashMap<>(metadata));
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
    return ProtoWire.serialize(this::writeModel);
  }

  /**
   * Writes the serialised model to {@code file}, replacing it if it exists.
   *
   * @throws IOException if the file cannot be written
   */
  public void writeTo(Path file) throws IOException {
    Files.write(file, toByteArray());
  }

  private void writeModel(CodedOutputStream out) throws IOException {
    out.writeInt64(MODEL_IR_VERSION, IR_VERSION);
    out.writeString(MODEL_PRODUCER_NAME, PRODUCER_NAME);
    if (!docString.isEmpty()) {
      out.writeString(MODEL_DOC_STRING, docString);
    }
    ProtoWire.writeMessage(out, MODEL_GRAPH, this::writeGraph);
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

  private void writeGraph(CodedOutputStream out) throws IOException {
    for (Node node : nodes) {
      ProtoWire.writeMessage(out, GRAPH_NODE, node::writeTo);
    }
    out.writeString(GRAPH_NAME, graphName);
    for (Initializer initializer : initializers) {
      ProtoWire.writeMessage(out, GRAPH_INITIALIZER, initializer::writeTo);
    }
    for (ValueInfo input : inputs) {
      ProtoWire.writeMessage(out, GRAPH_INPUT, input::writeTo);
    }
    for (ValueInfo output : outputs) {
      ProtoWire.writeMessage(out, GRAPH_OUTPUT, output::writeTo);
    }
  }
}
