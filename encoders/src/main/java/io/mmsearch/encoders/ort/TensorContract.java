package io.mmsearch.encoders.ort;

import ai.onnxruntime.OnnxJavaType;
import java.util.Arrays;

/**
 * One input or output a graph must have under the bundle contract: a name, an element type and a
 * shape whose first dimension is the batch.
 *
 * @param name tensor name in the graph
 * @param type element type
 * @param shape expected dimensions; {@link #BATCH} for the batch dimension, which the graph must
 *     leave dynamic; {@link #ANY} for a size checked elsewhere; every other entry is the required
 *     size, which the graph may also leave dynamic
 */
record TensorContract(String name, OnnxJavaType type, long[] shape) {
  /** Marks the batch dimension. */
  static final long BATCH = -1;

  /** Accepts any size (used where the size is checked separately, e.g. the output dimension). */
  static final long ANY = -2;

  String describe() {
    StringBuilder sb = new StringBuilder(name).append(' ').append(typeName(type)).append(" [");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i == 0 ? "" : ",")
          .append(shape[i] == BATCH ? "batch" : shape[i] == ANY ? "?" : Long.toString(shape[i]));
    }
    return sb.append(']').toString();
  }

  static String typeName(OnnxJavaType type) {
    return switch (type) {
      case FLOAT -> "float32";
      case INT64 -> "int64";
      default -> type.name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorContract t
        && name.equals(t.name)
        && type == t.type
        && Arrays.equals(shape, t.shape);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * name.hashCode() + type.hashCode()) + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return describe();
  }
}
