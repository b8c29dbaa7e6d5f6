/**
 * The engine-neutral encoder API: {@link io.mmsearch.encoders.ImageEncoder} and {@link
 * io.mmsearch.encoders.TextEncoder} turn images and texts into unit-length vectors of one shared
 * space; {@link io.mmsearch.encoders.Encoders} opens them for an {@link
 * io.mmsearch.encoders.EncoderCriteria} (bundle, engine, options); {@link
 * io.mmsearch.encoders.EncoderEngine} is the service-provider seam behind which engines (ONNX
 * Runtime here, DJL PyTorch in the training module) live.
 */
package io.mmsearch.encoders;
