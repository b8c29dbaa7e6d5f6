package io.mmsearch.training.engine;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.error.EncodingException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a trained head (DJL) on a frozen backbone's features (ONNX Runtime), item by item results:
 * the items whose features were computed go through the head in one call, the others keep their
 * error in their own slot. Shared by the text and image heads of the {@code pytorch} engine.
 */
final class HeadOnFeatures {

  private HeadOnFeatures() {}

  /**
   * @param features one result per item from the backbone
   * @param head the DJL head, input {@code [rows, featureDim]}, output {@code [rows, dimension]}
   * @param what names the head in errors ("text head", "image head")
   */
  static List<EncodingResult> apply(
      List<EncodingResult> features,
      NDManager manager,
      Block head,
      int featureDim,
      int dimension,
      String what) {
    List<float[]> rows = new ArrayList<>();
    for (EncodingResult r : features) {
      if (r.ok()) {
        rows.add(r.vector());
      }
    }
    if (rows.isEmpty()) {
      return new ArrayList<>(features);
    }
    float[] flat = new float[rows.size() * featureDim];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, flat, i * featureDim, featureDim);
    }
    float[][] vectors;
    try (NDManager scope = manager.newSubManager()) {
      float[] out =
          head.forward(
                  new ParameterStore(scope, false),
                  new NDList(scope.create(flat, new Shape(rows.size(), featureDim))),
                  false)
              .head()
              .toFloatArray();
      vectors = EmbeddingRows.split(out, rows.size(), dimension);
    } catch (RuntimeException e) {
      throw new EncodingException("PyTorch " + what + " failed: " + e.getMessage(), e);
    }
    List<EncodingResult> out = new ArrayList<>(features.size());
    int next = 0;
    for (EncodingResult r : features) {
      out.add(r.ok() ? EncodingResult.of(vectors[next++]) : r);
    }
    return out;
  }
}
