package io.mmsearch.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * One {@code NodeProto} in the default ONNX domain. An empty input name marks an omitted optional
 * input, as the ONNX spec prescribes.
 */
record Node(
    String opType,
    String name,
    List<String> inputs,
    List<String> outputs,
    List<Attribute> attributes) {

  // NodeProto field numbers (onnx.proto)
  private static final int INPUT = 1;
  private static final int OUTPUT = 2;
  private static final int NAME = 3;
  private static final int OP_TYPE = 4;
  private static final int ATTRIBUTE = 5;

  Node {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    attributes = List.copyOf(attributes);
  }

  void writeTo(CodedOutputStream out) throws IOException {
    for (String input : inputs) {
      out.writeString(INPUT, input);
    }
    for (String output : outputs) {
      out.writeString(OUTPUT, output);
    }
    out.writeString(NAME, name);
    out.writeString(OP_TYPE, opType);
    for (Attribute attribute : attributes) {
      ProtoWire.writeMessage(out, ATTRIBUTE, attribute::writeTo);
    }
  }
}
