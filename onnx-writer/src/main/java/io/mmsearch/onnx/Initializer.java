package io.mmsearch.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;

/**
 * One constant tensor ({@code TensorProto}) stored in the graph, data as little-endian {@code
 * raw_data}.
 */
record Initializer(String name, ElementType type, long[] dims, byte[] rawData) {

  // TensorProto field numbers (onnx.proto)
  private static final int DIMS = 1;
  private static final int DATA_TYPE = 2;
  private static final int NAME = 8;
  private static final int RAW_DATA = 9;

  /** Size of this message's fields on the wire, without its own tag and length. */
  int serializedSize() {
    long size = 0;
    for (long dim : dims) {
      size += CodedOutputStream.computeInt64Size(DIMS, dim);
    }
    size += CodedOutputStream.computeInt32Size(DATA_TYPE, type.onnxCode());
    size += CodedOutputStream.computeStringSize(NAME, name);
    size += CodedOutputStream.computeByteArraySize(RAW_DATA, rawData);
    if (size > Integer.MAX_VALUE) {
      throw new IllegalStateException(
          "initializer '"
              + name
              + "' is "
              + size
              + " bytes; protobuf messages are limited to 2 GiB");
    }
    return (int) size;
  }

  void writeTo(CodedOutputStream out) throws IOException {
    for (long dim : dims) {
      out.writeInt64(DIMS, dim);
    }
    out.writeInt32(DATA_TYPE, type.onnxCode());
    out.writeString(NAME, name);
    out.writeByteArray(RAW_DATA, rawData);
  }
}
