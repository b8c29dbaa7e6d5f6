package io.mmsearch.training.data;

import io.mmsearch.encoders.error.EncodingException;
import io.mmsearch.encoders.text.TokenizedText;
import io.mmsearch.encoders.text.WordTokenizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Captions as word-token ids of the shared {@link WordTokenizer}, for the BiLSTM text tower. */
public final class TokenCaptionTable implements CaptionTable {

  private final WordTokenizer tokenizer;
  private final Map<String, Integer> rows = new HashMap<>();
  private final List<TokenizedText> tokens = new ArrayList<>();

  public TokenCaptionTable(WordTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  @Override
  public synchronized Map<String, String> prepare(Collection<String> texts) {
    Map<String, String> failed = new LinkedHashMap<>();
    for (String text : texts) {
      if (rows.containsKey(text)) {
        continue;
      }
      try {
        TokenizedText t = tokenizer.tokenize(text);
        rows.put(text, tokens.size());
        tokens.add(t);
      } catch (EncodingException e) {
        failed.put(text, e.getMessage());
      }
    }
    return failed;
  }

  @Override
  public synchronized int row(String text) {
    return rows.getOrDefault(text, -1);
  }

  /** The tokenized caption of a row. */
  public synchronized TokenizedText tokens(int row) {
    return tokens.get(row);
  }

  @Override
  public synchronized TextBatch batch(int[] rowsOfItems) {
    int size = rowsOfItems.length;
    int steps = 1;
    for (int r : rowsOfItems) {
      steps = Math.max(steps, tokens.get(r).length());
    }
    long[] ids = new long[size * steps];
    long[] lengths = new long[size];
    for (int i = 0; i < size; i++) {
      TokenizedText t = tokens.get(rowsOfItems[i]);
      lengths[i] = t.length();
      System.arraycopy(t.ids(), 0, ids, i * steps, t.length());
    }
    return new TextBatch.Tokens(ids, lengths, size, steps);
  }
}
