package io.mmsearch.training.data;

import io.mmsearch.encoders.EncodingResult;
import java.util.List;

/**
 * The pooled features of a frozen pretrained text backbone: what a projection head trains on. The
 * serving pipeline computes the same features before the bundle's head, so one implementation backs
 * both (see {@code BackboneFeatures}).
 */
public interface TextFeatureSource {

  /**
   * Identifies the feature space: the backbone's SHA-256 and everything else that changes a text's
   * features (tokenizer, maximum tokens, pooling). Cached features are reused only under the same
   * key.
   */
  String cacheKey();

  /** SHA-256 of the backbone's file: a trained head fits this backbone only. */
  String backboneSha256();

  /** Width of each feature vector. */
  int dimension();

  /**
   * Features of each text, in order; a text that cannot be encoded gets its error in its own slot
   * and never fails the others.
   */
  List<EncodingResult> featuresEach(List<String> texts);
}
