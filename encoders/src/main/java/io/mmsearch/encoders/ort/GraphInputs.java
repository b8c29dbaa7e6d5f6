package io.mmsearch.encoders.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.mmsearch.encoders.error.EncodingException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The input tensors of one call, over pooled direct buffers. Closing it closes the tensors and
 * returns the buffers, so close it only after {@link OrtGraph#run} has returned. Not thread-safe:
 * one call, one thread.
 */
final class GraphInputs implements AutoCloseable {
  private final OrtEnvironment env;
  private final DirectBufferPool buffers;
  private final String fileName;
  private final Map<String, OnnxTensor> tensors = new HashMap<>();
  private final List<ByteBuffer> borrowed = new ArrayList<>();

  /**
   * @param buffers the graph's pool, to which {@link #close} returns what was borrowed
   * @param fileName the graph's file, named in errors
   */
  GraphInputs(OrtEnvironment env, DirectBufferPool buffers, String fileName) {
    this.env = env;
    this.buffers = buffers;
    this.fileName = fileName;
  }

  /** Adds a float32 tensor holding {@code data[0, product(shape))}. */
  GraphInputs floats(String name, float[] data, long... shape) {
    int n = elements(shape);
    ByteBuffer b = borrow(n * Float.BYTES);
    FloatBuffer view = b.asFloatBuffer();
    view.put(data, 0, n).flip();
    return add(name, () -> OnnxTensor.createTensor(env, view, shape));
  }

  /** Adds an int32 tensor holding {@code data[0, product(shape))}, narrowed from longs. */
  GraphInputs ints(String name, long[] data, long... shape) {
    int n = elements(shape);
    ByteBuffer b = borrow(n * Integer.BYTES);
    IntBuffer view = b.asIntBuffer();
    for (int i = 0; i < n; i++) {
      view.put(Math.toIntExact(data[i]));
    }
    view.flip();
    return add(name, () -> OnnxTensor.createTensor(env, view, shape));
  }

  /** Adds an int64 tensor holding {@code data[0, product(shape))}. */
  GraphInputs longs(String name, long[] data, long... shape) {
    int n = elements(shape);
    ByteBuffer b = borrow(n * Long.BYTES);
    LongBuffer view = b.asLongBuffer();
    view.put(data, 0, n).flip();
    return add(name, () -> OnnxTensor.createTensor(env, view, shape));
  }

  private ByteBuffer borrow(int bytes) {
    ByteBuffer b = buffers.acquire(bytes);
    borrowed.add(b);
    return b;
  }

  private GraphInputs add(String name, TensorMaker maker) {
    try {
      tensors.put(name, maker.make());
      return this;
    } catch (OrtException e) {
      close();
      throw new EncodingException(fileName + ": cannot create input tensor " + name, e);
    }
  }

  Map<String, OnnxTensor> tensors() {
    return tensors;
  }

  @Override
  public void close() {
    tensors.values().forEach(OnnxTensor::close);
    tensors.clear();
    borrowed.forEach(buffers::release);
    borrowed.clear();
  }

  @FunctionalInterface
  private interface TensorMaker {
    OnnxTensor make() throws OrtException;
  }

  private static int elements(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return Math.toIntExact(n);
  }
}
