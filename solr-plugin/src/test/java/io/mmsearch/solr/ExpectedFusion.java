package io.mmsearch.solr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The embedded index's fusion formulas (lucene-plugin's ReciprocalRankFusion and LinearFusion),
 * written out again on lists of (id, score): what a hybrid query must return given its two lists.
 */
final class ExpectedFusion {
  private ExpectedFusion() {}

  static List<Map.Entry<String, Float>> rrf(
      List<Map.Entry<String, Float>> keyword, List<Map.Entry<String, Float>> vector, int c) {
    Map<String, Float> fused = new HashMap<>();
    for (List<Map.Entry<String, Float>> list : List.of(keyword, vector)) {
      for (int i = 0; i < list.size(); i++) {
        fused.merge(list.get(i).getKey(), 1f / (c + i + 1), Float::sum);
      }
    }
    return sorted(fused);
  }

  static List<Map.Entry<String, Float>> linear(
      List<Map.Entry<String, Float>> keyword, List<Map.Entry<String, Float>> vector) {
    Map<String, Float> fused = new HashMap<>();
    for (List<Map.Entry<String, Float>> list : List.of(keyword, vector)) {
      if (list.isEmpty()) {
        continue;
      }
      float max = list.get(0).getValue();
      float min = list.get(list.size() - 1).getValue();
      for (Map.Entry<String, Float> e : list) {
        float norm = max == min ? 1f : (e.getValue() - min) / (max - min);
        fused.merge(e.getKey(), 1f * norm, Float::sum);
      }
    }
    return sorted(fused);
  }

  private static List<Map.Entry<String, Float>> sorted(Map<String, Float> fused) {
    List<Map.Entry<String, Float>> list = new ArrayList<>(fused.entrySet());
    list.sort(
        Map.Entry.<String, Float>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    return list;
  }

  /**
   * Asserts that {@code got} is a top slice of {@code expected} up to the order of tied scores:
   * every score group of {@code got} equals the expected group, except the lowest, which may be cut
   * short.
   */
  static void assertSameUpToTies(
      List<Map.Entry<String, Float>> expected, List<Map.Entry<String, Float>> got) {
    Map<Float, Set<String>> want = byScore(expected);
    TreeMap<Float, Set<String>> have = new TreeMap<>(byScore(got));
    for (Map.Entry<Float, Set<String>> g : have.entrySet()) {
      Set<String> w = want.get(g.getKey());
      boolean lowest = g.getKey().equals(have.firstKey());
      boolean ok = w != null && (lowest ? w.containsAll(g.getValue()) : w.equals(g.getValue()));
      if (!ok) {
        throw new AssertionError("expected " + expected + " but got " + got);
      }
    }
  }

  /** Score -> ids with that score, to compare rankings up to the order of ties. */
  static Map<Float, Set<String>> byScore(List<Map.Entry<String, Float>> list) {
    Map<Float, Set<String>> groups = new TreeMap<>();
    for (Map.Entry<String, Float> e : list) {
      groups.computeIfAbsent(e.getValue(), s -> new TreeSet<>()).add(e.getKey());
    }
    return groups;
  }
}
