package io.mmsearch.encoders.text;

/**
 * One text as a {@link SubwordTokenizer} tokenizes it: ids with the special tokens, no padding. The
 * arrays are the caller's; nothing else keeps a reference.
 *
 * @param ids token ids
 * @param typeIds segment ids ({@code token_type_ids}), same length; all 0 for a single text
 */
public record SubwordIds(long[] ids, long[] typeIds) {

  public SubwordIds {
    if (ids.length != typeIds.length) {
      throw new IllegalArgumentException(ids.length + " ids but " + typeIds.length + " type ids");
    }
  }

  /** Number of ids, special tokens included. */
  public int length() {
    return ids.length;
  }
}
