package io.mmsearch.encoders.ort;

import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.text.SubwordTokenizer;
import io.mmsearch.encoders.text.WordTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link TextEncoder} for a {@code tokenizer.json} bundle: {@link SubwordTokenizer} → token graph
 * (a shared frozen backbone, or {@code text.onnx} itself for a CLIP-style tower) → pooling → the
 * {@code text.onnx} head if there is a backbone → L2 normalisation.
 *
 * <p>Thread-safe. Owns the tokenizer, the head and its hold on the token graph.
 */
final class OrtSubwordTextEncoder implements TextEncoder {
  private final SubwordFeatures features;
  private final AutoCloseable tokenGraphOwner;
  private final OrtGraph head;
  private final int dimension;

  /**
   * @param tokenGraphOwner closes the token graph (a backbone lease, or the graph itself)
   * @param head the {@code features} → {@code embedding} graph, or null if the token graph's pooled
   *     output is the embedding
   */
  OrtSubwordTextEncoder(
      SubwordTokenizer tokenizer,
      TokenGraph tokenGraph,
      AutoCloseable tokenGraphOwner,
      OrtGraph head,
      int dimension) {
    this.features = new SubwordFeatures(tokenizer, tokenGraph);
    this.tokenGraphOwner = tokenGraphOwner;
    this.head = head;
    this.dimension = dimension;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public float[] encode(String text) {
    float[] v = project(new float[][] {features.one(text)})[0];
    if (!UnitLength.normalise(v)) {
      throw UnitLength.textNotNormalisable(outputFile(), WordTokenizer.excerpt(text));
    }
    return v;
  }

  @Override
  public List<EncodingResult> encodeEach(List<String> texts) {
    EncodingException[] errors = new EncodingException[texts.size()];
    float[][] pooled = features.each(texts, errors);
    int ok = 0;
    for (float[] p : pooled) {
      ok += p == null ? 0 : 1;
    }
    float[][] rows = new float[ok][];
    int[] sources = new int[ok];
    for (int i = 0, r = 0; i < pooled.length; i++) {
      if (pooled[i] != null) {
        rows[r] = pooled[i];
        sources[r++] = i;
      }
    }
    EncodingResult[] results = new EncodingResult[texts.size()];
    for (int i = 0; i < errors.length; i++) {
      if (errors[i] != null) {
        results[i] = EncodingResult.failed(errors[i]);
      }
    }
    if (ok > 0) {
      float[][] vectors = project(rows);
      for (int r = 0; r < ok; r++) {
        int source = sources[r];
        results[source] =
            UnitLength.textResult(vectors[r], outputFile(), source, texts.get(source));
      }
    }
    return new ArrayList<>(Arrays.asList(results));
  }

  /** Runs the head on pooled features, or returns them if there is no head. */
  private float[][] project(float[][] pooled) {
    if (head == null) {
      return pooled;
    }
    int rows = pooled.length;
    int width = features.graph().width();
    float[] flat = new float[Math.multiplyExact(rows, width)];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(pooled[r], 0, flat, r * width, width);
    }
    try (OrtGraph.Inputs in =
        head.inputs().floats(io.mmsearch.encoders.text.TextInputSpec.FEATURES, flat, rows, width)) {
      return head.run(in, rows);
    }
  }

  /** The graph whose output is the embedding. */
  private String outputFile() {
    return head != null ? head.fileName() : features.graph().fileName();
  }

  @Override
  public void close() {
    try {
      if (head != null) {
        head.close();
      }
    } finally {
      try {
        tokenGraphOwner.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing " + features.graph().fileName() + " failed", e);
      } finally {
        features.tokenizer().close();
      }
    }
  }

  @Override
  public String toString() {
    return "OrtSubwordTextEncoder["
        + features.graph().fileName()
        + (head != null ? " -> " + head.fileName() : "")
        + ", dimension="
        + dimension
        + ", "
        + features.tokenizer()
        + "]";
  }
}
