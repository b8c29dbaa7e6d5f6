/**
 * Export of a trained dual encoder to a model bundle: ONNX graphs written with the shared {@code
 * OnnxGraphBuilder} ({@link io.mmsearch.training.export.OnnxExport}), a parity check that runs them
 * in ONNX Runtime against DJL ({@link io.mmsearch.training.export.ExportParity}), and the bundle
 * itself ({@link io.mmsearch.training.export.BundleExporter}).
 */
package io.mmsearch.training.export;
