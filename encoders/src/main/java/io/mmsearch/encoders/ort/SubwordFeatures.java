package io.mmsearch.encoders.ort;

import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.error.UnencodableInputException;
import io.mmsearch.encoders.text.SubwordIds;
import io.mmsearch.encoders.text.SubwordTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokenizer → token graph → pooling for a list of texts, where a text the tokenizer rejects fails
 * alone: the one pipeline that serving ({@link OrtSubwordTextEncoder}) and training ({@link
 * TextFeatureExtractor}) run. Rows are right-padded to the longest text of the call (or to the
 * graph's fixed length), which changes no text's vector beyond float rounding.
 *
 * <p>Thread-safe if the tokenizer and graph are (they are).
 */
final class SubwordFeatures {
  /**
   * Texts per graph run: bounds the output tensor ({@code rows x seq x width} floats for hidden
   * states) whatever the caller passes, and keeps padding to the longest text small.
   */
  static final int ROWS_PER_RUN = 32;

  private final SubwordTokenizer tokenizer;
  private final TokenGraph graph;

  SubwordFeatures(SubwordTokenizer tokenizer, TokenGraph graph) {
    this.tokenizer = tokenizer;
    this.graph = graph;
  }

  SubwordTokenizer tokenizer() {
    return tokenizer;
  }

  TokenGraph graph() {
    return graph;
  }

  /** Pooled features of one text. */
  float[] one(String text) {
    return graph.pooled(tokenizer.pad(List.of(tokenizer.tokenize(text)), graph.fixedSeq()))[0];
  }

  /**
   * Pooled features of each text, {@value #ROWS_PER_RUN} texts per graph run.
   *
   * @param errors receives, at a failed text's index, its error (naming {@code text #index})
   * @return per text its features, or null where {@code errors} has the reason
   */
  float[][] each(List<String> texts, EncodingException[] errors) {
    float[][] out = new float[texts.size()][];
    for (int from = 0; from < texts.size(); from += ROWS_PER_RUN) {
      int to = Math.min(texts.size(), from + ROWS_PER_RUN);
      EncodingException[] chunkErrors = new EncodingException[to - from];
      float[][] chunk = chunk(texts.subList(from, to), from, chunkErrors);
      System.arraycopy(chunk, 0, out, from, chunk.length);
      System.arraycopy(chunkErrors, 0, errors, from, chunkErrors.length);
    }
    return out;
  }

  /** One graph run for all texts of {@code texts} that tokenize. */
  private float[][] chunk(List<String> texts, int firstIndex, EncodingException[] errors) {
    float[][] out = new float[texts.size()][];
    List<SubwordIds> rows = new ArrayList<>(texts.size());
    int[] sources = new int[texts.size()];
    for (int i = 0; i < texts.size(); i++) {
      try {
        rows.add(tokenizer.tokenize(texts.get(i)));
        sources[rows.size() - 1] = i;
      } catch (UnencodableInputException e) {
        errors[i] =
            new UnencodableInputException("text #" + (firstIndex + i) + ": " + e.getMessage(), e);
      }
    }
    if (!rows.isEmpty()) {
      float[][] pooled = graph.pooled(tokenizer.pad(rows, graph.fixedSeq()));
      for (int r = 0; r < pooled.length; r++) {
        out[sources[r]] = pooled[r];
      }
    }
    return out;
  }
}
