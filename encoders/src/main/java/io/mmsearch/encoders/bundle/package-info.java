/**
 * The model bundle: the directory ({@code bundle.json}, {@code image.onnx}, {@code text.onnx},
 * {@code vocab.txt}) that training produces and everything else consumes. {@link
 * io.mmsearch.encoders.bundle.ModelBundle} opens and verifies one, {@link
 * io.mmsearch.encoders.bundle.BundleWriter} writes one, {@link
 * io.mmsearch.encoders.bundle.BundleDescriptor} and {@link io.mmsearch.encoders.bundle.Provenance}
 * are the {@code bundle.json} model, and {@link io.mmsearch.encoders.bundle.BundleFingerprint}
 * defines the content hash that indexes record.
 */
package io.mmsearch.encoders.bundle;
