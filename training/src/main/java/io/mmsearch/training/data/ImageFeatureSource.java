package io.mmsearch.training.data;

import io.mmsearch.encoders.image.ImagePreprocessor;

/**
 * The pooled features of a frozen pretrained image backbone: what an {@link
 * io.mmsearch.training.model.ImageHead} trains on. Serving computes the same features before the
 * bundle's head, so one implementation backs both (see {@code BackboneImageFeatures}).
 *
 * <p>Implementations are thread-safe.
 */
public interface ImageFeatureSource {

  /**
   * Identifies the feature space: the backbone's SHA-256, its taps and pooling, and the input
   * preprocessing. Cached features are reused only under the same key.
   */
  String cacheKey();

  /** Width of each feature vector. */
  int dimension();

  /**
   * The preprocessing the backbone expects (size, mean/std, resize, background), including its
   * refusal of images below the backbone's minimum side: the serving preprocessor of the bundle's
   * image side, so training and serving accept and refuse the same images.
   */
  ImagePreprocessor preprocessor();

  /**
   * Features of {@code rows} preprocessed images ({@code pixels} is {@code [rows, 3, S, S]} as
   * {@link #preprocessor()} produces, possibly augmented), row-major {@code [rows, dimension]}.
   *
   * @throws RuntimeException if the backbone fails; the caller reports the batch's items
   */
  float[] features(float[] pixels, int rows);
}
