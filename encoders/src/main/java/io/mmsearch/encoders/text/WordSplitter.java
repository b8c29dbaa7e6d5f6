package io.mmsearch.encoders.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalises a text and splits it into words: the one definition of "a word" that vocabulary
 * building at training time and tokenizing at serving time share.
 *
 * <p>Steps, in order: format characters ({@code \p{Cf}}, e.g. zero-width joiners, soft hyphens,
 * byte-order marks) are removed; the text is NFKC-normalised (full-width letters, ligatures and
 * compatibility forms fold to their plain form); it is lower-cased with {@link Locale#ROOT} when
 * asked; and words are the maximal runs of Unicode letters, combining marks and digits. Everything
 * else, including control characters such as tabs, newlines and NUL, separates words and is
 * dropped.
 *
 * <p>Immutable and thread-safe.
 */
public final class WordSplitter {
  private static final Pattern FORMAT_CHARACTERS = Pattern.compile("\\p{Cf}+");
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}\\p{N}]+");

  private final boolean lowercase;

  /**
   * @param lowercase whether to lower-case (Unicode-aware, {@link Locale#ROOT}) after normalising
   */
  public WordSplitter(boolean lowercase) {
    this.lowercase = lowercase;
  }

  /** Whether this splitter lower-cases. */
  public boolean lowercase() {
    return lowercase;
  }

  /** Returns all words of {@code text}, in order; an empty list if it has none. */
  public List<String> split(String text) {
    return split(text, Integer.MAX_VALUE);
  }

  /**
   * Returns the first {@code maxWords} words of {@code text}, in order. Stops scanning once it has
   * them, so a very long text costs no more than its first words.
   */
  public List<String> split(String text, int maxWords) {
    if (maxWords <= 0) {
      throw new IllegalArgumentException("maxWords must be positive, got " + maxWords);
    }
    String normalised = normalise(text);
    List<String> words = new ArrayList<>();
    Matcher m = WORD.matcher(normalised);
    while (words.size() < maxWords && m.find()) {
      words.add(m.group());
    }
    return words;
  }

  /** The text after removing format characters, NFKC and (if enabled) lower-casing. */
  public String normalise(String text) {
    String s = FORMAT_CHARACTERS.matcher(text).replaceAll("");
    s = Normalizer.normalize(s, Normalizer.Form.NFKC);
    return lowercase ? s.toLowerCase(Locale.ROOT) : s;
  }

  @Override
  public String toString() {
    return "WordSplitter[lowercase=" + lowercase + "]";
  }
}
