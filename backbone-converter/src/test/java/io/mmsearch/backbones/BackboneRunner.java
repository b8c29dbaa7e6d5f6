package io.mmsearch.backbones;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/** Runs a converted backbone in ONNX Runtime (tests only: serving code lives in encoders). */
final class BackboneRunner {
  private BackboneRunner() {}

  /** The {@code features} rows of {@code pixels} ({@code [rows, 3, size, size]}). */
  static float[][] run(ConvertedBackbone backbone, float[] pixels, int rows, int size)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(backbone.onnx(), options);
          OnnxTensor in =
              OnnxTensor.createTensor(
                  env, FloatBuffer.wrap(pixels), new long[] {rows, 3, size, size});
          OrtSession.Result r = session.run(Map.of(TfjsToOnnx.INPUT, in))) {
        FloatBuffer fb = ((OnnxTensor) r.get(TfjsToOnnx.OUTPUT).orElseThrow()).getFloatBuffer();
        float[][] out = new float[rows][backbone.dimension()];
        for (float[] row : out) {
          fb.get(row);
        }
        return out;
      }
    }
  }
}
