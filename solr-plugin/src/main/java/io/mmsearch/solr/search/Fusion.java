package io.mmsearch.solr.search;

import java.util.Locale;

/**
 * How a hybrid request combines its keyword list and its vector list.
 *
 * <ul>
 *   <li>{@link #RRF}: reciprocal rank fusion, {@code Σ w / (c + rank)}, on the coordinating node
 *       over the two global lists (the embedded index's default);
 *   <li>{@link #LINEAR}: per list {@code (s − min) / (max − min)}, then {@code Σ w · norm}, on the
 *       coordinating node over the two global lists (the embedded index's linear fusion);
 *   <li>{@link #SUM}: Solr's own combinator, {@code {!bool should=keyword should=vector}} with
 *       boosts {@code w}, run per shard in one pass: raw BM25 plus the vector score, not
 *       normalised.
 * </ul>
 */
public enum Fusion {
  RRF,
  LINEAR,
  SUM;

  static Fusion parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          MultimodalParams.FUSION + " must be rrf, linear or sum, got '" + name + "'");
    }
  }

  /** Whether the coordinating node fuses two separately retrieved global lists. */
  boolean onCoordinator() {
    return this != SUM;
  }
}
