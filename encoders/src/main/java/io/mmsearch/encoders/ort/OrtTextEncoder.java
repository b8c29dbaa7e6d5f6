package io.mmsearch.encoders.ort;

import io.mmsearch.encoders.EncodingResult;
import io.mmsearch.encoders.TextEncoder;
import io.mmsearch.encoders.error.UnencodableInputException;
import io.mmsearch.encoders.text.WordTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@link TextEncoder} on an ONNX Runtime session: {@link WordTokenizer} turns texts into one {@code
 * tokens} block plus {@code lengths}, one {@code OrtSession.run} per call turns them into {@code
 * embedding} rows.
 *
 * <p>Thread-safe: the tokenizer is immutable and the session is shared. Owns the session.
 */
final class OrtTextEncoder implements TextEncoder {
  static final String TOKENS = "tokens";
  static final String LENGTHS = "lengths";

  private final OrtGraph graph;
  private final WordTokenizer tokenizer;

  OrtTextEncoder(OrtGraph graph, WordTokenizer tokenizer) {
    this.graph = graph;
    this.tokenizer = tokenizer;
  }

  @Override
  public int dimension() {
    return graph.dimension();
  }

  @Override
  public float[] encode(String text) {
    long[] ids = new long[tokenizer.maxTokens()];
    long length = tokenizer.tokenizeInto(text, ids, 0);
    float[] v = run(ids, new long[] {length}, 1)[0];
    if (!UnitLength.normalise(v)) {
      throw UnitLength.textNotNormalisable(graph.fileName(), WordTokenizer.excerpt(text));
    }
    return v;
  }

  @Override
  public List<EncodingResult> encodeEach(List<String> texts) {
    int t = tokenizer.maxTokens();
    long[] ids = new long[Math.multiplyExact(texts.size(), t)];
    long[] lengths = new long[texts.size()];
    int[] sources = new int[texts.size()];
    EncodingResult[] results = new EncodingResult[texts.size()];
    int rows = 0;
    for (int i = 0; i < texts.size(); i++) {
      try {
        lengths[rows] = tokenizer.tokenizeInto(texts.get(i), ids, rows * t);
        sources[rows++] = i;
      } catch (UnencodableInputException e) {
        results[i] =
            EncodingResult.failed(
                new UnencodableInputException("text #" + i + ": " + e.getMessage(), e));
      }
    }
    if (rows > 0) {
      float[][] vectors = run(ids, lengths, rows);
      for (int row = 0; row < rows; row++) {
        int source = sources[row];
        results[source] =
            UnitLength.textResult(vectors[row], graph.fileName(), source, texts.get(source));
      }
    }
    return new ArrayList<>(Arrays.asList(results));
  }

  /** Runs the first {@code rows} rows of {@code ids} and {@code lengths}. */
  private float[][] run(long[] ids, long[] lengths, int rows) {
    try (OrtGraph.Inputs in =
        graph
            .inputs()
            .longs(TOKENS, ids, rows, tokenizer.maxTokens())
            .longs(LENGTHS, lengths, rows)) {
      return graph.run(in, rows);
    }
  }

  @Override
  public void close() {
    graph.close();
  }

  @Override
  public String toString() {
    return "OrtTextEncoder["
        + graph.fileName()
        + ", dimension="
        + dimension()
        + ", "
        + tokenizer
        + "]";
  }
}
