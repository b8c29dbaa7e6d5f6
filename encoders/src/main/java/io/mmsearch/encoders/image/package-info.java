/**
 * Image files to model input tensors: decoding, orientation, transparency, resizing, cropping and
 * normalisation, exactly as a model bundle's {@link io.mmsearch.encoders.image.ImageInputSpec}
 * declares.
 *
 * <p>{@link io.mmsearch.encoders.image.ImagePreprocessor} is the entry point, used both by the
 * encoders at query and ingest time and by the training module, so that a model sees the same
 * pixels when it is trained and when it is served. It decodes through ImageIO with the
 * TwelveMonkeys plug-ins (JPEG incl. CMYK/YCCK, TIFF, BMP, WebP) and the JDK readers (PNG, GIF),
 * decodes images over a pixel budget with source subsampling and refuses only those over a budget
 * for that subsampled decode (both checked on the header), and reports every bad file as an {@link
 * io.mmsearch.encoders.image.ImageDecodingException} naming the item and the reason. Batches
 * ({@link io.mmsearch.encoders.image.PreprocessedBatch}) collect the good images into one
 * contiguous {@code [N, 3, size, size]} float buffer and list the bad ones beside it.
 *
 * <p>Everything here is immutable and thread-safe.
 */
package io.mmsearch.encoders.image;
