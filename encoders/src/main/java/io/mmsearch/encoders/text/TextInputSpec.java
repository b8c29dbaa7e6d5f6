package io.mmsearch.encoders.text;

import java.util.Objects;

/**
 * What a text encoder expects as input, as declared by a model bundle's {@code bundle.json}.
 *
 * <p>Immutable and thread-safe. The text graph takes {@code tokens} (int64 {@code [batch,
 * maxTokens]}, padded with the padding id) and {@code lengths} (int64 {@code [batch]}, the number
 * of real tokens, at least 1).
 *
 * @param tokenizer tokenizer kind; {@code "word"} is the one this project ships
 * @param vocabulary file name of the vocabulary inside the bundle, one token per line, line number
 *     = token id
 * @param maxTokens longer texts are truncated to this many tokens
 * @param lowercase whether text is lower-cased (Unicode-aware, {@link java.util.Locale#ROOT})
 *     before splitting
 */
public record TextInputSpec(String tokenizer, String vocabulary, int maxTokens, boolean lowercase) {

  /** Tokenizer kind of {@link WordTokenizer}. */
  public static final String WORD = "word";

  public TextInputSpec {
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(vocabulary, "vocabulary");
    if (maxTokens <= 0) {
      throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
    }
  }

  /** The default for models this project trains: word tokens, {@code vocab.txt}, 32 tokens. */
  public static TextInputSpec defaults() {
    return new TextInputSpec(WORD, "vocab.txt", 32, true);
  }
}
