package io.mmsearch.encoders.text;

import io.mmsearch.encoders.error.UnencodableInputException;
import java.util.List;
import java.util.Objects;

/**
 * Turns text into the {@code tokens}/{@code lengths} input of a word-level text graph: splits it
 * with a {@link WordSplitter}, maps each word to its {@link Vocabulary} id ({@value
 * Vocabulary#UNK_ID} for unknown words), keeps the first {@code maxTokens} words and pads the rest
 * of the row with {@value Vocabulary#PAD_ID}.
 *
 * <p>Training and serving use this same class, so a model sees the same ids for the same text in
 * both. Immutable and thread-safe.
 */
public final class WordTokenizer {
  private static final int EXCERPT_CHARS = 40;

  private final Vocabulary vocabulary;
  private final WordSplitter splitter;
  private final int maxTokens;

  /**
   * @param vocabulary the token ids
   * @param maxTokens row length; longer texts are truncated to their first {@code maxTokens} words
   * @param lowercase whether to lower-case before splitting
   */
  public WordTokenizer(Vocabulary vocabulary, int maxTokens, boolean lowercase) {
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
    if (maxTokens <= 0) {
      throw new IllegalArgumentException("maxTokens must be positive, got " + maxTokens);
    }
    this.maxTokens = maxTokens;
    this.splitter = new WordSplitter(lowercase);
  }

  /**
   * A tokenizer as a bundle's text input declares it.
   *
   * @throws IllegalArgumentException if {@code spec} declares a tokenizer kind other than {@value
   *     TextInputSpec#WORD}
   */
  public static WordTokenizer forSpec(TextInputSpec spec, Vocabulary vocabulary) {
    if (!TextInputSpec.WORD.equals(spec.tokenizer())) {
      throw new IllegalArgumentException(
          "unsupported tokenizer kind '"
              + spec.tokenizer()
              + "'; this version knows '"
              + TextInputSpec.WORD
              + "'");
    }
    return new WordTokenizer(vocabulary, spec.maxTokens(), spec.lowercase());
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  public WordSplitter splitter() {
    return splitter;
  }

  /** Length of every token row. */
  public int maxTokens() {
    return maxTokens;
  }

  /**
   * Tokenizes one text.
   *
   * @throws UnencodableInputException if the text has no word after normalisation (empty, blank,
   *     only punctuation or control characters); the message quotes the start of the text
   */
  public TokenizedText tokenize(String text) {
    long[] ids = new long[maxTokens];
    int length = tokenizeInto(text, ids, 0);
    return new TokenizedText(ids, length);
  }

  /**
   * Tokenizes many texts into one contiguous row-major {@code [texts.size(), maxTokens]} block.
   *
   * @throws UnencodableInputException naming the index and the start of the first text that has no
   *     word
   */
  public TokenizedBatch tokenizeBatch(List<String> texts) {
    long[] ids = new long[texts.size() * maxTokens];
    long[] lengths = new long[texts.size()];
    for (int i = 0; i < texts.size(); i++) {
      try {
        lengths[i] = tokenizeInto(texts.get(i), ids, i * maxTokens);
      } catch (UnencodableInputException e) {
        throw new UnencodableInputException("text #" + i + ": " + e.getMessage(), e);
      }
    }
    return new TokenizedBatch(ids, lengths, maxTokens);
  }

  /**
   * Writes the ids of {@code text} into {@code ids[offset, offset + length)} and returns {@code
   * length}, the number of real tokens (at most {@link #maxTokens()}). The rest of the row is left
   * untouched, so pass a zeroed row ({@link Vocabulary#PAD_ID} is 0). Lets a caller fill one
   * contiguous batch buffer while deciding per text what to do with a bad one.
   *
   * @throws UnencodableInputException if the text has no word after normalisation
   */
  public int tokenizeInto(String text, long[] ids, int offset) {
    if (text == null) {
      throw new UnencodableInputException("text is null");
    }
    List<String> words = splitter.split(text, maxTokens);
    if (words.isEmpty()) {
      throw new UnencodableInputException(
          "text "
              + excerpt(text)
              + " has no words after normalisation (it is empty, blank, or only punctuation and"
              + " control characters)");
    }
    for (int i = 0; i < words.size(); i++) {
      ids[offset + i] = vocabulary.idOf(words.get(i));
    }
    return words.size();
  }

  /** A quoted, escaped, shortened form of {@code text} for error messages. */
  public static String excerpt(String text) {
    StringBuilder sb = new StringBuilder("\"");
    int n = Math.min(text.length(), EXCERPT_CHARS);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        sb.append(String.format("\\u%04X", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
    if (text.length() > n) {
      sb.append("... (").append(text.length()).append(" chars)");
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "WordTokenizer[vocabulary="
        + vocabulary.size()
        + ", maxTokens="
        + maxTokens
        + ", lowercase="
        + splitter.lowercase()
        + "]";
  }
}
