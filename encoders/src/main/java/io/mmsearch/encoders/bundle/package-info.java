/**
 * The model bundle: the directory ({@code bundle.json}, {@code image.onnx}, {@code text.onnx},
 * {@code vocab.txt} or {@code tokenizer.json}) that training produces and everything else consumes,
 * possibly referencing a frozen text backbone by SHA-256. {@link
 * io.mmsearch.encoders.bundle.ModelBundle} opens and verifies one (and re-fingerprints it on
 * request), {@link io.mmsearch.encoders.bundle.BundleWriter} writes one, {@link
 * io.mmsearch.encoders.bundle.BackboneFile} finds and verifies a referenced backbone, {@link
 * io.mmsearch.encoders.bundle.BundleDescriptor} and {@link io.mmsearch.encoders.bundle.Provenance}
 * are the {@code bundle.json} model, and {@link io.mmsearch.encoders.bundle.BundleFingerprint}
 * defines the content hash that indexes record. {@code docs/bundle-format.md} is the reference.
 */
package io.mmsearch.encoders.bundle;
