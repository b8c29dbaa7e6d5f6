package io.mmsearch.onnx;

import java.util.Objects;

/**
 * One dimension of a graph input or output: either a fixed size ({@code dim_value}) or a symbolic
 * name ({@code dim_param}) such as {@code "batch"} that the runtime binds per call.
 */
public sealed interface Dim permits Dim.Fixed, Dim.Symbolic {

  /** The conventional name of the leading dimension that varies per call. */
  String BATCH = "batch";

  /** A fixed, non-negative size. */
  static Dim of(long size) {
    return new Fixed(size);
  }

  /** A named dimension that the runtime binds per call. */
  static Dim symbolic(String name) {
    return new Symbolic(name);
  }

  /** The symbolic {@value #BATCH} dimension. */
  static Dim batch() {
    return new Symbolic(BATCH);
  }

  /** A dimension of fixed size. */
  record Fixed(long size) implements Dim {
    public Fixed {
      if (size < 0) {
        throw new IllegalArgumentException("dimension size must be >= 0, got " + size);
      }
    }

    @Override
    public String toString() {
      return Long.toString(size);
    }
  }

  /** A dimension named by a symbol. */
  record Symbolic(String name) implements Dim {
    public Symbolic {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("symbolic dimension name must not be blank");
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
