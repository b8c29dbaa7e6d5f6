package io.mmsearch.solr.search;

import io.mmsearch.semantics.Ranked;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One global ranked list, merged from the shards' lists of (unique key, score): each id once with
 * its best score, in the shared {@linkplain Ranked#order() tie order} (score descending, id
 * ascending), cut to the window. Stateless.
 */
final class RankedIds {
  private RankedIds() {}

  /** The shards' hits merged into one list in rank order, the first {@code window} of it. */
  static List<Ranked<String>> merge(List<Ranked<String>> shardHits, int window) {
    Map<String, Ranked<String>> best = new LinkedHashMap<>();
    for (Ranked<String> h : shardHits) {
      best.merge(h.key(), h, (a, b) -> a.score() >= b.score() ? a : b);
    }
    List<Ranked<String>> sorted = Ranked.sorted(new ArrayList<>(best.values()));
    return sorted.size() <= window ? sorted : List.copyOf(sorted.subList(0, window));
  }
}
