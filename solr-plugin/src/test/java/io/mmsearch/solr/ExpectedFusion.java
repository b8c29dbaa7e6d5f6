package io.mmsearch.solr;

import io.mmsearch.semantics.Fusion;
import io.mmsearch.semantics.Ranked;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a hybrid query must return given its two lists: the shared fusion arithmetic, the one the
 * embedded index runs, on lists of (id, score); and a comparison up to the order of ties.
 */
final class ExpectedFusion {
  private ExpectedFusion() {}

  /** The shared fusion ({@code io.mmsearch.semantics.Fusion}) of two lists of (id, score). */
  static List<Map.Entry<String, Float>> fuse(
      Fusion fusion,
      List<Map.Entry<String, Float>> keyword,
      List<Map.Entry<String, Float>> vector) {
    List<Map.Entry<String, Float>> out = new ArrayList<>();
    for (Ranked<String> r : fusion.fuse(ranked(keyword), ranked(vector))) {
      out.add(Map.entry(r.key(), r.score()));
    }
    return out;
  }

  private static List<Ranked<String>> ranked(List<Map.Entry<String, Float>> list) {
    List<Ranked<String>> out = new ArrayList<>();
    for (Map.Entry<String, Float> e : list) {
      out.add(new Ranked<>(e.getKey(), e.getValue()));
    }
    return out;
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
