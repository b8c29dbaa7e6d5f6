package io.mmsearch.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.util.List;

/** A graph input or output ({@code ValueInfoProto}) with a tensor type and shape. */
record ValueInfo(String name, ElementType type, List<Dim> shape) {

  // ValueInfoProto
  private static final int NAME = 1;
  private static final int TYPE = 2;
  // TypeProto
  private static final int TENSOR_TYPE = 1;
  // TypeProto.Tensor
  private static final int ELEM_TYPE = 1;
  private static final int SHAPE = 2;
  // TensorShapeProto
  private static final int DIM = 1;
  // TensorShapeProto.Dimension
  private static final int DIM_VALUE = 1;
  private static final int DIM_PARAM = 2;

  ValueInfo {
    shape = List.copyOf(shape);
  }

  void writeTo(CodedOutputStream out) throws IOException {
    out.writeString(NAME, name);
    ProtoWire.writeMessage(
        out,
        TYPE,
        typeProto ->
            ProtoWire.writeMessage(
                typeProto,
                TENSOR_TYPE,
                tensor -> {
                  tensor.writeInt32(ELEM_TYPE, type.onnxCode());
                  ProtoWire.writeMessage(tensor, SHAPE, this::writeShape);
                }));
  }

  private void writeShape(CodedOutputStream out) throws IOException {
    for (Dim dim : shape) {
      ProtoWire.writeMessage(
          out,
          DIM,
          d -> {
            if (dim instanceof Dim.Fixed fixed) {
              d.writeInt64(DIM_VALUE, fixed.size());
            } else {
              d.writeString(DIM_PARAM, ((Dim.Symbolic) dim).name());
            }
          });
    }
  }
}
