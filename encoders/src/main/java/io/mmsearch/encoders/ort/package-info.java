/**
 * The ONNX Runtime engine ({@link io.mmsearch.encoders.ort.OnnxRuntimeEngine}, name {@code
 * onnxruntime}), the default {@link io.mmsearch.encoders.EncoderEngine}: loads a bundle's graphs
 * into shared, thread-safe sessions, checks them against the bundle contract, and runs one session
 * call per encoder call (two behind a backbone: backbone, then head). A referenced backbone gets
 * one session per JVM, shared by every encoder that uses it; {@link
 * io.mmsearch.encoders.ort.TextFeatureExtractor} exposes its pooled features to training.
 */
package io.mmsearch.encoders.ort;
