package io.mmsearch.training.engine;

import ai.djl.ndarray.NDManager;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.encoders.ort.TextFeatureExtractor;
import io.mmsearch.training.model.DualEncoder;
import java.util.List;

/**
 * Text encoder of a bundle whose text tower is a head on a frozen backbone, on DJL's PyTorch
 * engine: the backbone's pooled features come from the shared {@link TextFeatureExtractor} (the
 * backbone is ONNX and stays in ONNX Runtime, as in training), the head runs in DJL. Thread-safe;
 * owns its native memory and the extractor until {@link #close()}.
 */
final class PyTorchHeadTextEncoder implements TextEncoder {

  private final NDManager manager;
  private final DualEncoder model;
  private final TextFeatureExtractor features;

  PyTorchHeadTextEncoder(NDManager manager, DualEncoder model, TextFeatureExtractor features) {
    this.manager = manager;
    this.model = model;
    this.features = features;
  }

  @Override
  public int dimension() {
    return model.config().embeddingDim();
  }

  @Override
  public float[] encode(String text) {
    return encodeEach(List.of(text)).get(0).orThrow();
  }

  @Override
  public List<EncodingResult> encodeEach(List<String> texts) {
    return HeadOnFeatures.apply(
        features.featuresEach(texts),
        manager,
        model.textBlock(),
        model.config().textFeatureDim(),
        dimension(),
        "text head");
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
