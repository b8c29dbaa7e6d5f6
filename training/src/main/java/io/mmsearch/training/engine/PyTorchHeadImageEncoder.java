package io.mmsearch.training.engine;

import ai.djl.ndarray.NDManager;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.ImageEncoder;
import io.mmsearch.encoders.ort.ImageFeatureExtractor;
import io.mmsearch.training.model.DualEncoder;
import java.util.List;

/**
 * Image encoder of a bundle whose image tower is a head on a frozen image backbone, on DJL's
 * PyTorch engine: the backbone's features come from the shared {@link ImageFeatureExtractor} (the
 * backbone is ONNX and stays in ONNX Runtime, as in training), the head runs in DJL. Thread-safe;
 * owns its native memory and the extractor until {@link #close()}.
 */
final class PyTorchHeadImageEncoder implements ImageEncoder {

  private final NDManager manager;
  private final DualEncoder model;
  private final ImageFeatureExtractor features;

  PyTorchHeadImageEncoder(NDManager manager, DualEncoder model, ImageFeatureExtractor features) {
    this.manager = manager;
    this.model = model;
    this.features = features;
  }

  @Override
  public int dimension() {
    return model.config().embeddingDim();
  }

  @Override
  public float[] encode(byte[] imageBytes, String itemName) {
    return encodeEach(List.of(imageBytes), List.of(itemName)).get(0).orThrow();
  }

  @Override
  public List<EncodingResult> encodeEach(List<byte[]> images, List<String> itemNames) {
    return HeadOnFeatures.apply(
        features.featuresEach(images, itemNames),
        manager,
        model.imageHead(),
        model.config().imageFeatureDim(),
        dimension(),
        "image head");
  }

  @Override
  public void close() {
    try {
      features.close();
    } finally {
      manager.close();
    }
  }
}
