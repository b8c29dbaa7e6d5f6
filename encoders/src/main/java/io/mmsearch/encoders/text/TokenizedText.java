package io.mmsearch.encoders.text;

/**
 * One tokenized text: a padded row of token ids and the number of real tokens.
 *
 * @param ids {@code maxTokens} ids; positions at and after {@code length} hold {@link
 *     Vocabulary#PAD_ID}. The array is the caller's; nothing else keeps a reference.
 * @param length number of real tokens, in {@code [1, ids.length]}
 */
public record TokenizedText(long[] ids, int length) {}
