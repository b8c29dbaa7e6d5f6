package io.mmsearch.encoders.ort;

import io.mmsearch.encoders.EncodingException;
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
   * Pooled features of each text, in one graph run for all those that tokenize.
   *
   * @param firstIndex the index of {@code texts.get(0)} in the caller's list, for error messages
   * @param errors receives, at a failed text's position, its error (naming {@code text #index})
   * @return per text its features, or null where {@code errors} has the reason
   */
  float[][] each(List<String> texts, int firstIndex, EncodingException[] errors) {
    float[][] out = new float[texts.size()][];
    List<SubwordIds> rows = new ArrayList<>(texts.size());
    int[] sources = new int[texts.size()];
    for (int i = 0; i < texts.size(); i++) {
      try {
        rows.add(tokenizer.tokenize(texts.get(i)));
        sources[rows.size() - 1] = i;
      } catch (EncodingException e) {
        errors[i] = new EncodingException("text #" + (firstIndex + i) + ": " + e.getMessage(), e);
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
