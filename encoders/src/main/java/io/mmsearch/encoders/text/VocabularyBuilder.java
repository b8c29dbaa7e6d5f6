package io.mmsearch.encoders.text;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link Vocabulary} from a corpus: counts words as {@link WordSplitter} splits them,
 * keeps those seen at least {@code minFrequency} times, and orders them by descending frequency,
 * ties broken by the token's natural {@link String} order, so the same corpus always gives the same
 * ids whatever order its texts arrive in.
 *
 * <p>Not thread-safe: one builder per thread, or synchronise externally.
 *
 * <pre>{@code
 * Vocabulary v = new VocabularyBuilder(new WordSplitter(true)).minFrequency(2).maxSize(8000)
 *     .addTexts(captions).build();
 * }</pre>
 */
public final class VocabularyBuilder {
  private final WordSplitter splitter;
  private final Map<String, Long> counts = new HashMap<>();
  private int minFrequency = 1;
  private int maxSize = Integer.MAX_VALUE;

  /**
   * @param splitter must be the splitter the serving tokenizer will use (same lower-casing)
   */
  public VocabularyBuilder(WordSplitter splitter) {
    this.splitter = Objects.requireNonNull(splitter, "splitter");
  }

  /** Words seen fewer times are left out (they become {@link Vocabulary#UNK}). Default 1. */
  public VocabularyBuilder minFrequency(int minFrequency) {
    if (minFrequency < 1) {
      throw new IllegalArgumentException("minFrequency must be at least 1, got " + minFrequency);
    }
    this.minFrequency = minFrequency;
    return this;
  }

  /**
   * The largest vocabulary to build, counting {@link Vocabulary#PAD} and {@link Vocabulary#UNK};
   * the most frequent words win. Default unlimited.
   */
  public VocabularyBuilder maxSize(int maxSize) {
    if (maxSize < 2) {
      throw new IllegalArgumentException(
          "maxSize must be at least 2 (for <pad> and <unk>), got " + maxSize);
    }
    this.maxSize = maxSize;
    return this;
  }

  /** Counts the words of one text. */
  public VocabularyBuilder addText(String text) {
    for (String w : splitter.split(text)) {
      counts.merge(w, 1L, Long::sum);
    }
    return this;
  }

  /** Counts the words of every text. */
  public VocabularyBuilder addTexts(Iterable<String> texts) {
    for (String t : texts) {
      addText(t);
    }
    return this;
  }

  /** How often {@code word} (already normalised) has been seen so far. */
  public long count(String word) {
    return counts.getOrDefault(word, 0L);
  }

  /** Builds the vocabulary from the words counted so far; the builder stays usable. */
  public Vocabulary build() {
    List<Map.Entry<String, Long>> kept = new ArrayList<>();
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      if (e.getValue() >= minFrequency) {
        kept.add(e);
      }
    }
    kept.sort(
        Comparator.comparing((Map.Entry<String, Long> e) -> e.getValue())
            .reversed()
            .thenComparing(Map.Entry::getKey));
    List<String> tokens = new ArrayList<>();
    tokens.add(Vocabulary.PAD);
    tokens.add(Vocabulary.UNK);
    for (int i = 0; i < kept.size() && tokens.size() < maxSize; i++) {
      tokens.add(kept.get(i).getKey());
    }
    return Vocabulary.of(tokens);
  }
}
