/**
 * A small ONNX writer: builds inference graphs (default-domain opset 17, IR version 8) for the CNN
 * image tower and BiLSTM text tower this project trains, and serialises them with protobuf-java's
 * {@code CodedOutputStream} directly — the few ONNX messages needed are written by hand from the
 * field numbers of the public {@code onnx.proto}, no generated code is checked in.
 *
 * <p>{@link io.mmsearch.onnx.OnnxGraphBuilder} is the entry point; it produces an immutable {@link
 * io.mmsearch.onnx.OnnxModel} that writes bytes or a file. {@link
 * io.mmsearch.onnx.BatchNormFolding} and {@link io.mmsearch.onnx.LstmGateOrder} convert trained
 * parameters (e.g. from PyTorch) into what the graph expects. Every op is proven in the tests by
 * running the written graph in ONNX Runtime against an independent Java computation. This package
 * does not run models; the engine package does.
 */
package io.mmsearch.onnx;
