package io.mmsearch.training.engine;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.ImageEncoder;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.image.ImageDecodingException;
import io.mmsearch.encoders.image.ImageInputSpec;
import io.mmsearch.encoders.image.ImagePreprocessor;
import io.mmsearch.encoders.image.PreprocessedBatch;
import io.mmsearch.training.model.DualEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Image encoder on DJL's PyTorch engine; preprocessing is the shared {@link ImagePreprocessor}.
 * Thread-safe (inference only reads the weights); owns its native memory until {@link #close()}.
 */
final class PyTorchImageEncoder implements ImageEncoder {

  private final NDManager manager;
  private final DualEncoder model;
  private final ImagePreprocessor preprocessor;

  PyTorchImageEncoder(NDManager manager, DualEncoder model, ImageInputSpec spec) {
    this.manager = manager;
    this.model = model;
    this.preprocessor = new ImagePreprocessor(spec);
  }

  @Override
  public int dimension() {
    return model.config().embeddingDim();
  }

  @Override
  public float[] encode(byte[] imageBytes, String itemName) {
    return run(preprocessor.preprocess(imageBytes, itemName), 1)[0];
  }

  @Override
  public List<EncodingResult> encodeEach(List<byte[]> images, List<String> itemNames) {
    PreprocessedBatch batch = preprocessor.preprocessBatch(images, itemNames);
    EncodingResult[] results = new EncodingResult[images.size()];
    for (PreprocessedBatch.ItemFailure f : batch.failures()) {
      results[f.index()] =
          EncodingResult.failed(new ImageDecodingException(f.itemName(), f.reason()));
    }
    if (batch.size() > 0) {
      float[][] rows = run(batch.tensor(), batch.size());
      for (int row = 0; row < rows.length; row++) {
        results[batch.sourceIndex(row)] = EncodingResult.of(rows[row]);
      }
    }
    return new ArrayList<>(Arrays.asList(results));
  }

  /** Runs the image tower on {@code rows} preprocessed images. */
  float[][] run(float[] pixels, int rows) {
    int s = model.config().imageSize();
    int dim = dimension();
    try (NDManager scope = manager.newSubManager()) {
      float[] flat =
          model
              .imageTower()
              .forward(
                  new ParameterStore(scope, false),
                  new NDList(scope.create(pixels, new Shape(rows, 3, s, s))),
                  false)
              .head()
              .toFloatArray();
      return EmbeddingRows.split(flat, rows, dim);
    } catch (RuntimeException e) {
      throw new EncodingException("PyTorch image tower failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
