package io.mmsearch.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** One {@code AttributeProto}: a named scalar or list attached to a node. */
record Attribute(String name, Kind kind, Object value) {

  /** {@code AttributeProto.AttributeType} codes used here. */
  enum Kind {
    FLOAT(1),
    INT(2),
    STRING(3),
    FLOATS(6),
    INTS(7);

    final int code;

    Kind(int code) {
      this.code = code;
    }
  }

  // AttributeProto field numbers (onnx.proto)
  private static final int NAME = 1;
  private static final int F = 2;
  private static final int I = 3;
  private static final int S = 4;
  private static final int FLOATS = 7;
  private static final int INTS = 8;
  private static final int TYPE = 20;

  static Attribute ofFloat(String name, float value) {
    return new Attribute(name, Kind.FLOAT, value);
  }

  static Attribute ofInt(String name, long value) {
    return new Attribute(name, Kind.INT, value);
  }

  static Attribute ofString(String name, String value) {
    return new Attribute(name, Kind.STRING, value);
  }

  static Attribute ofInts(String name, long... values) {
    return new Attribute(name, Kind.INTS, values.clone());
  }

  static Attribute ofInts(String name, int... values) {
    long[] widened = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      widened[i] = values[i];
    }
    return new Attribute(name, Kind.INTS, widened);
  }

  static Attribute ofFloats(String name, float... values) {
    return new Attribute(name, Kind.FLOATS, values.clone());
  }

  void writeTo(CodedOutputStream out) throws IOException {
    out.writeString(NAME, name);
    out.writeEnum(TYPE, kind.code);
    switch (kind) {
      case FLOAT -> out.writeFloat(F, (Float) value);
      case INT -> out.writeInt64(I, (Long) value);
      case STRING -> out.writeByteArray(S, ((String) value).getBytes(StandardCharsets.UTF_8));
      case FLOATS -> {
        for (float f : (float[]) value) {
          out.writeFloat(FLOATS, f);
        }
      }
      case INTS -> {
        for (long i : (long[]) value) {
          out.writeInt64(INTS, i);
        }
      }
    }
  }
}
