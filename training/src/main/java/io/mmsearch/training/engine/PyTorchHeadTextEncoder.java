package io.mmsearch.training.engine;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.ort.TextFeatureExtractor;
import io.mmsearch.training.model.DualEncoder;
import java.util.ArrayList;
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
    List<EncodingResult> pooled = features.featuresEach(texts);
    List<float[]> rows = new ArrayList<>();
    for (EncodingResult r : pooled) {
      if (r.ok()) {
        rows.add(r.vector());
      }
    }
    List<EncodingResult> out = new ArrayList<>(texts.size());
    if (rows.isEmpty()) {
      out.addAll(pooled);
      return out;
    }
    float[][] vectors = run(rows);
    int next = 0;
    for (EncodingResult r : pooled) {
      out.add(r.ok() ? EncodingResult.of(vectors[next++]) : r);
    }
    return out;
  }

  private float[][] run(List<float[]> rows) {
    int f = model.config().textFeatureDim();
    float[] flat = new float[rows.size() * f];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, flat, i * f, f);
    }
    try (NDManager scope = manager.newSubManager()) {
      float[] out =
          model
              .projectionHead()
              .forward(
                  new ParameterStore(scope, false),
                  new NDList(scope.create(flat, new Shape(rows.size(), f))),
                  false)
              .head()
              .toFloatArray();
      return EmbeddingRows.split(out, rows.size(), dimension());
    } catch (RuntimeException e) {
      throw new EncodingException("PyTorch text head failed: " + e.getMessage(), e);
    }
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
