package io.mmsearch.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a written model in ONNX Runtime and returns its float outputs, flattened row-major. */
final class OrtHarness {

  /** One named input tensor: a float[], int[] or long[] plus its shape. */
  record Feed(String name, Object data, long... shape) {}

  /** A float output tensor: values row-major plus shape. */
  record Result(float[] values, long[] shape) {}

  private OrtHarness() {}

  static Feed feed(String name, float[] data, long... shape) {
    return new Feed(name, data, shape);
  }

  static Feed feed(String name, int[] data, long... shape) {
    return new Feed(name, data, shape);
  }

  static Feed feed(String name, long[] data, long... shape) {
    return new Feed(name, data, shape);
  }

  static float[] runSingle(OnnxModel model, Feed... feeds) throws OrtException {
    Map<String, Result> all = run(model, feeds);
    return all.get(model.outputNames().get(0)).values();
  }

  static Map<String, Result> run(OnnxModel model, Feed... feeds) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model.toByteArray(), options)) {
      for (Feed f : feeds) {
        inputs.put(f.name(), tensor(env, f));
      }
      Map<String, Result> out = new LinkedHashMap<>();
      try (OrtSession.Result result = session.run(inputs)) {
        for (String name : model.outputNames()) {
          OnnxTensor t = (OnnxTensor) result.get(name).orElseThrow();
          FloatBuffer buffer = t.getFloatBuffer();
          float[] values = new float[buffer.remaining()];
          buffer.get(values);
          out.put(name, new Result(values, t.getInfo().getShape()));
        }
      }
      return out;
    } finally {
      for (OnnxTensor t : inputs.values()) {
        t.close();
      }
    }
  }

  /** Input names and shapes (-1 for symbolic dims) as ONNX Runtime reads them from the file. */
  static Map<String, List<Long>> inputShapes(OnnxModel model) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model.toByteArray())) {
      Map<String, List<Long>> shapes = new LinkedHashMap<>();
      for (var e : session.getInputInfo().entrySet()) {
        long[] shape = ((ai.onnxruntime.TensorInfo) e.getValue().getInfo()).getShape();
        shapes.put(e.getKey(), java.util.Arrays.stream(shape).boxed().toList());
      }
      return shapes;
    }
  }

  private static OnnxTensor tensor(OrtEnvironment env, Feed f) throws OrtException {
    return switch (f.data()) {
      case float[] d -> OnnxTensor.createTensor(env, FloatBuffer.wrap(d), f.shape());
      case int[] d -> OnnxTensor.createTensor(env, IntBuffer.wrap(d), f.shape());
      case long[] d -> OnnxTensor.createTensor(env, LongBuffer.wrap(d), f.shape());
      default -> throw new IllegalArgumentException("unsupported feed " + f.data().getClass());
    };
  }
}
