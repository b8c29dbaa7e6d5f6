/**
 * The ONNX Runtime engine ({@link io.mmsearch.encoders.ort.OnnxRuntimeEngine}, name {@code
 * onnxruntime}), the default {@link io.mmsearch.encoders.EncoderEngine}: loads a bundle's graphs
 * into shared, thread-safe sessions, checks them against the bundle contract, and runs one session
 * call per encoder call (two behind a backbone: backbone, then head). A referenced backbone gets
 * one session per JVM, shared by every encoder that uses it; {@link
 * io.mmsearch.encoders.ort.TextFeatureExtractor} exposes its pooled features to training.
 *
 * <p><b>Internal</b>: hosts reach this engine through {@link io.mmsearch.encoders.Encoders} and
 * {@link io.mmsearch.encoders.EncoderCriteria}; the classes here serve mmsearch's own modules and
 * may change in any release.
 */
package io.mmsearch.encoders.ort;
