package io.mmsearch.semantics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One document of a ranked list: its key and its score. The key is the engine's own document key:
 * the Lucene doc id in the embedded index, the unique key in Solr.
 *
 * <p><b>Tie order</b> (the one rule both engines follow): score descending, then key ascending.
 * Scores compare as the floats they are returned as, so two documents whose scores differ only
 * below float precision tie and are ordered by key. The embedded index's key order is its doc id
 * order, Solr's the unique key's order; the two agree when documents are indexed in key order (the
 * cross-engine test does so).
 *
 * @param key the document key
 * @param score the score the list ranks by
 * @param <K> the key type
 */
public record Ranked<K extends Comparable<? super K>>(K key, float score) {

  public Ranked {
    Objects.requireNonNull(key, "key");
  }

  /** Score descending, then key ascending. */
  public static <K extends Comparable<? super K>> Comparator<Ranked<K>> order() {
    return (a, b) -> {
      int byScore = Float.compare(b.score, a.score);
      return byScore != 0 ? byScore : a.key.compareTo(b.key);
    };
  }

  /** A copy of {@code list} in {@linkplain #order() rank order}. */
  public static <K extends Comparable<? super K>> List<Ranked<K>> sorted(List<Ranked<K>> list) {
    List<Ranked<K>> copy = new ArrayList<>(list);
    copy.sort(order());
    return copy;
  }
}
