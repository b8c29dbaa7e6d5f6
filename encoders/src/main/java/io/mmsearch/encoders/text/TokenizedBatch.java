package io.mmsearch.encoders.text;

/**
 * Many tokenized texts in the layout a text graph takes: {@code ids} is row-major {@code [size(),
 * maxTokens]} ({@code tokens} input), {@code lengths} is {@code [size()]} ({@code lengths} input).
 * The arrays are the caller's; nothing else keeps a reference.
 *
 * @param ids token ids, padded per row with {@link Vocabulary#PAD_ID}
 * @param lengths number of real tokens per row, each at least 1
 * @param maxTokens row length
 */
public record TokenizedBatch(long[] ids, long[] lengths, int maxTokens) {

  /** Number of texts. */
  public int size() {
    return lengths.length;
  }

  /** The ids of text {@code i} (a copy of its row, padding included). */
  public long[] row(int i) {
    long[] row = new long[maxTokens];
    System.arraycopy(ids, i * maxTokens, row, 0, maxTokens);
    return row;
  }
}
