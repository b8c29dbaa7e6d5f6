package io.mmsearch.training.model;

import ai.djl.ndarray.NDArray;

/** Row-wise L2 normalisation, the last step of both towers (ONNX {@code LpNormalization p=2}). */
final class L2Normalisation {

  /** Guards against division by zero for an all-zero row; far below any real norm. */
  private static final float MIN_NORM = 1e-12f;

  private L2Normalisation() {}

  /** {@code x / max(||x||_2, 1e-12)} along axis 1 of a {@code [batch, dim]} array. */
  static NDArray apply(NDArray x) {
    NDArray norm = x.square().sum(new int[] {1}, true).sqrt().maximum(MIN_NORM);
    return x.div(norm);
  }
}
