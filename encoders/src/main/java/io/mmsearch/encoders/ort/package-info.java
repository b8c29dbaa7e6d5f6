/**
 * The ONNX Runtime engine ({@link io.mmsearch.encoders.ort.OnnxRuntimeEngine}, name {@code
 * onnxruntime}), the default {@link io.mmsearch.encoders.EncoderEngine}: loads a bundle's graphs
 * into shared, thread-safe sessions, checks them against the bundle contract, and runs one session
 * call per encoder call.
 */
package io.mmsearch.encoders.ort;
