package io.mmsearch.solr.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ranked list of documents by unique key: score descending, ties by id ascending, each id once.
 * Immutable. The fusion arithmetic is the embedded index's ({@code io.mmsearch.lucene.fusion}),
 * operation for operation in float, so both rank a hybrid query the same way given the same lists.
 */
final class RankedIds {
  /** One ranked document. */
  record Hit(String id, float score) {}

  private static final Comparator<Hit> ORDER =
      Comparator.comparingDouble((Hit h) -> -h.score()).thenComparing(Hit::id);

  private final List<Hit> hits;

  private RankedIds(List<Hit> sorted) {
    this.hits = List.copyOf(sorted);
  }

  /** Sorts hits into rank order, keeping each id's best score. */
  static RankedIds of(List<Hit> hits) {
    Map<String, Hit> best = new LinkedHashMap<>();
    for (Hit h : hits) {
      best.merge(h.id(), h, (a, b) -> a.score() >= b.score() ? a : b);
    }
    List<Hit> sorted = new ArrayList<>(best.values());
    sorted.sort(ORDER);
    return new RankedIds(sorted);
  }

  List<Hit> hits() {
    return hits;
  }

  int size() {
    return hits.size();
  }

  /** The first {@code n} hits. */
  RankedIds top(int n) {
    return n >= hits.size() ? this : new RankedIds(hits.subList(0, n));
  }

  /** Reciprocal rank fusion: {@code Σ w_i / (rankConstant + rank_i)}, ranks 1-based. */
  static RankedIds rrf(
      RankedIds keyword, RankedIds vector, int rankConstant, float keywordW, float vectorW) {
    Map<String, Float> fused = new HashMap<>();
    addRrf(fused, keyword, rankConstant, keywordW);
    addRrf(fused, vector, rankConstant, vectorW);
    return fromScores(fused);
  }

  private static void addRrf(Map<String, Float> fused, RankedIds list, int c, float w) {
    for (int i = 0; i < list.hits.size(); i++) {
      float contribution = w / (c + i + 1);
      fused.merge(list.hits.get(i).id(), contribution, Float::sum);
    }
  }

  /** Linear fusion of per-list min-max normalised scores (1 when a list's scores are all equal). */
  static RankedIds linear(RankedIds keyword, RankedIds vector, float keywordW, float vectorW) {
    Map<String, Float> fused = new HashMap<>();
    addLinear(fused, keyword, keywordW);
    addLinear(fused, vector, vectorW);
    return fromScores(fused);
  }

  private static void addLinear(Map<String, Float> fused, RankedIds list, float w) {
    if (list.hits.isEmpty()) {
      return;
    }
    float max = list.hits.get(0).score();
    float min = list.hits.get(list.hits.size() - 1).score();
    for (Hit h : list.hits) {
      float norm = max == min ? 1f : (h.score() - min) / (max - min);
      fused.merge(h.id(), w * norm, Float::sum);
    }
  }

  private static RankedIds fromScores(Map<String, Float> fused) {
    List<Hit> hits = new ArrayList<>(fused.size());
    fused.forEach((id, s) -> hits.add(new Hit(id, s)));
    hits.sort(ORDER);
    return new RankedIds(hits);
  }
}
