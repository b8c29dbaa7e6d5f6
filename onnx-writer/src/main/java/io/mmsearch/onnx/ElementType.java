package io.mmsearch.onnx;

/**
 * Element types of the tensors this package writes, with their {@code TensorProto.DataType} codes
 * from the public onnx.proto.
 */
public enum ElementType {
  FLOAT(1, 4),
  INT32(6, 4),
  INT64(7, 8),
  BOOL(9, 1);

  private final int onnxCode;
  private final int bytes;

  ElementType(int onnxCode, int bytes) {
    this.onnxCode = onnxCode;
    this.bytes = bytes;
  }

  /** The {@code TensorProto.DataType} number written to the file. */
  public int onnxCode() {
    return onnxCode;
  }

  /** Size of one element in bytes. */
  public int byteSize() {
    return bytes;
  }
}
