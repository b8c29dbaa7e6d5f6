package io.mmsearch.faiss;

import org.bytedeco.javacpp.annotation.Platform;

/** A binding whose JNI library was never built, to drive the load-failure path. */
@Platform(library = "jniMmsearchNoSuchLibrary")
final class MissingNativeBinding {
  private MissingNativeBinding() {}

  static native int nothing();
}
