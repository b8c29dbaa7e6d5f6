package io.mmsearch.encoders.text;

import java.util.Arrays;
import java.util.List;

/**
 * Many texts tokenized by a {@link SubwordTokenizer}, right-padded to one row length: the {@code
 * input_ids}, {@code attention_mask} and {@code token_type_ids} inputs of a token graph, each
 * row-major {@code [size(), seq]}. The arrays are the caller's.
 *
 * @param ids token ids, padded with the tokenizer's pad id
 * @param attentionMask 1 for a real token, 0 for padding
 * @param typeIds segment ids, 0 for padding
 * @param lengths real tokens per row, each in {@code [1, seq]}
 * @param seq row length
 */
public record SubwordBatch(
    long[] ids, long[] attentionMask, long[] typeIds, int[] lengths, int seq) {

  /** Number of texts. */
  public int size() {
    return lengths.length;
  }

  /**
   * Lays {@code rows} out right-padded.
   *
   * @param seq row length; 0 for the longest row's length
   * @throws IllegalArgumentException if a row is empty or longer than a positive {@code seq}
   */
  public static SubwordBatch pad(List<SubwordIds> rows, int seq, long padId) {
    int longest = 1;
    for (SubwordIds r : rows) {
      if (r.length() == 0) {
        throw new IllegalArgumentException("a row has no ids");
      }
      longest = Math.max(longest, r.length());
    }
    int width = seq > 0 ? seq : longest;
    if (longest > width) {
      throw new IllegalArgumentException("a row of " + longest + " ids exceeds seq " + width);
    }
    int n = rows.size();
    long[] ids = new long[Math.multiplyExact(n, width)];
    long[] mask = new long[ids.length];
    long[] types = new long[ids.length];
    int[] lengths = new int[n];
    Arrays.fill(ids, padId);
    for (int i = 0; i < n; i++) {
      SubwordIds r = rows.get(i);
      int at = i * width;
      System.arraycopy(r.ids(), 0, ids, at, r.length());
      System.arraycopy(r.typeIds(), 0, types, at, r.length());
      Arrays.fill(mask, at, at + r.length(), 1L);
      lengths[i] = r.length();
    }
    return new SubwordBatch(ids, mask, types, lengths, width);
  }
}
