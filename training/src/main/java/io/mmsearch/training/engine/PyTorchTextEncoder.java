package io.mmsearch.training.engine;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.text.TextInputSpec;
import io.mmsearch.encoders.text.Vocabulary;
import io.mmsearch.encoders.text.WordTokenizer;
import io.mmsearch.training.model.DualEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Text encoder on DJL's PyTorch engine; tokenization is the shared {@link WordTokenizer}. Each call
 * runs only as many token steps as its longest text (the output does not depend on padding).
 * Thread-safe; owns its native memory until {@link #close()}.
 */
final class PyTorchTextEncoder implements TextEncoder {

  private final NDManager manager;
  private final DualEncoder model;
  private final WordTokenizer tokenizer;

  PyTorchTextEncoder(
      NDManager manager, DualEncoder model, TextInputSpec spec, Vocabulary vocabulary) {
    this.manager = manager;
    this.model = model;
    this.tokenizer = WordTokenizer.forSpec(spec, vocabulary);
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
    int t = tokenizer.maxTokens();
    long[] ids = new long[Math.multiplyExact(texts.size(), t)];
    long[] lengths = new long[texts.size()];
    int[] sources = new int[texts.size()];
    EncodingResult[] results = new EncodingResult[texts.size()];
    int rows = 0;
    int steps = 1;
    for (int i = 0; i < texts.size(); i++) {
      try {
        lengths[rows] = tokenizer.tokenizeInto(texts.get(i), ids, rows * t);
        steps = (int) Math.max(steps, lengths[rows]);
        sources[rows++] = i;
      } catch (EncodingException e) {
        results[i] =
            EncodingResult.failed(new EncodingException("text #" + i + ": " + e.getMessage(), e));
      }
    }
    if (rows > 0) {
      long[] trimmed = new long[rows * steps];
      for (int r = 0; r < rows; r++) {
        System.arraycopy(ids, r * t, trimmed, r * steps, steps);
      }
      float[][] vectors = run(trimmed, Arrays.copyOf(lengths, rows), rows, steps);
      for (int r = 0; r < rows; r++) {
        results[sources[r]] = EncodingResult.of(vectors[r]);
      }
    }
    return new ArrayList<>(Arrays.asList(results));
  }

  private float[][] run(long[] tokens, long[] lengths, int rows, int steps) {
    int dim = dimension();
    try (NDManager scope = manager.newSubManager()) {
      float[] flat =
          model
              .textTower()
              .forward(
                  new ParameterStore(scope, false),
                  new NDList(
                      scope.create(tokens, new Shape(rows, steps)),
                      scope.create(lengths, new Shape(rows))),
                  false)
              .head()
              .toFloatArray();
      return EmbeddingRows.split(flat, rows, dim);
    } catch (RuntimeException e) {
      throw new EncodingException("PyTorch text tower failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
