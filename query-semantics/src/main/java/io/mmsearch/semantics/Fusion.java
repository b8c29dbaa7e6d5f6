package io.mmsearch.semantics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How a request with both a keyword part and a vector part merges the keyword (BM25) list and the
 * vector list; a request with one part ranks by that part's own scores. Immutable values.
 *
 * <ul>
 *   <li>{@link Rrf}: reciprocal rank fusion, {@code score(d) = Σ_i w_i / (c + rank_i(d))} over the
 *       lists that contain {@code d}, ranks 1-based.
 *   <li>{@link Linear}: per list {@code norm(s) = (s − min) / (max − min)} over that list's scores
 *       (1 for every entry when {@code max == min}), then {@code score(d) = Σ_i w_i · norm_i(d)}; a
 *       list that does not contain {@code d} adds nothing.
 * </ul>
 *
 * <p><b>Arithmetic</b>: every term and every sum in double precision, lists added in order
 * (keyword, then vector), the fused score returned as float; the fused list holds every document of
 * either list in {@linkplain Ranked#order() rank order} (fused float score descending, key
 * ascending). With weights 1 the RRF scores are bit for bit those of Lucene's {@code TopDocs.rrf}
 * (tested), which has no list weights.
 */
public sealed interface Fusion permits Fusion.Rrf, Fusion.Linear {

  /** The rank constant of the original paper (Cormack et al., 2009), Elasticsearch and Solr. */
  int DEFAULT_RANK_CONSTANT = 60;

  /**
   * Fuses a keyword list and a vector list, each in rank order with distinct keys.
   *
   * @return every document of either list, by fused score
   * @throws IllegalArgumentException if a list holds a key twice
   */
  <K extends Comparable<? super K>> List<Ranked<K>> fuse(
      List<Ranked<K>> keyword, List<Ranked<K>> vector);

  /** The weight of the keyword list. */
  float keywordWeight();

  /** The weight of the vector list. */
  float vectorWeight();

  /**
   * Reciprocal rank fusion.
   *
   * @param rankConstant {@code c}, at least 1
   * @param keywordWeight weight of the keyword list, finite and {@code >= 0}
   * @param vectorWeight weight of the vector list, finite and {@code >= 0}
   */
  record Rrf(int rankConstant, float keywordWeight, float vectorWeight) implements Fusion {
    public Rrf {
      if (rankConstant < 1) {
        throw new InvalidQueryException("the RRF rank constant must be >= 1, got " + rankConstant);
      }
      requireWeight("the keyword list weight", keywordWeight);
      requireWeight("the vector list weight", vectorWeight);
    }

    @Override
    public <K extends Comparable<? super K>> List<Ranked<K>> fuse(
        List<Ranked<K>> keyword, List<Ranked<K>> vector) {
      return weightedSum(keyword, keywordWeight, vector, vectorWeight, this::reciprocalRanks);
    }

    private double[] reciprocalRanks(float[] scores) {
      double[] terms = new double[scores.length];
      for (int i = 0; i < terms.length; i++) {
        terms[i] = 1d / Math.addExact(rankConstant, i + 1);
      }
      return terms;
    }

    @Override
    public String toString() {
      return keywordWeight == 1f && vectorWeight == 1f
          ? "rrf(" + rankConstant + ")"
          : "rrf(" + rankConstant + ", " + keywordWeight + ", " + vectorWeight + ")";
    }
  }

  /**
   * Linear fusion of min-max normalised scores.
   *
   * @param keywordWeight weight of the keyword list, finite and {@code >= 0}
   * @param vectorWeight weight of the vector list, finite and {@code >= 0}
   */
  record Linear(float keywordWeight, float vectorWeight) implements Fusion {
    public Linear {
      requireWeight("the keyword list weight", keywordWeight);
      requireWeight("the vector list weight", vectorWeight);
    }

    @Override
    public <K extends Comparable<? super K>> List<Ranked<K>> fuse(
        List<Ranked<K>> keyword, List<Ranked<K>> vector) {
      return weightedSum(keyword, keywordWeight, vector, vectorWeight, Linear::minMax);
    }

    private static double[] minMax(float[] scores) {
      float max = Float.NEGATIVE_INFINITY;
      float min = Float.POSITIVE_INFINITY;
      for (float s : scores) {
        max = Math.max(max, s);
        min = Math.min(min, s);
      }
      double[] terms = new double[scores.length];
      for (int i = 0; i < terms.length; i++) {
        terms[i] = max == min ? 1.0 : ((double) scores[i] - min) / ((double) max - min);
      }
      return terms;
    }

    @Override
    public String toString() {
      return "linear(" + keywordWeight + ", " + vectorWeight + ")";
    }
  }

  /** RRF with rank constant 60 and weights 1: the default. */
  static Fusion rrf() {
    return rrf(DEFAULT_RANK_CONSTANT);
  }

  /** RRF with the given rank constant and weights 1. */
  static Fusion rrf(int rankConstant) {
    return new Rrf(rankConstant, 1f, 1f);
  }

  /** RRF with the given rank constant and list weights. */
  static Fusion rrf(int rankConstant, float keywordWeight, float vectorWeight) {
    return new Rrf(rankConstant, keywordWeight, vectorWeight);
  }

  /** Linear fusion with these weights. */
  static Fusion linear(float keywordWeight, float vectorWeight) {
    return new Linear(keywordWeight, vectorWeight);
  }

  /**
   * The fusion a user names: {@code rrf} (rank constant 60) or {@code linear} (equal weights), in
   * any case.
   *
   * @throws InvalidQueryException for any other name
   */
  static Fusion named(String name) {
    switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "rrf":
        return rrf();
      case "linear":
        return linear(1f, 1f);
      default:
        throw new InvalidQueryException("fusion must be rrf or linear, got '" + name + "'");
    }
  }

  /**
   * Checks a weight (a mixing weight or a list weight).
   *
   * @param what names the weight in the message
   * @return {@code weight}
   * @throws InvalidQueryException if it is negative, NaN or infinite
   */
  static float requireWeight(String what, float weight) {
    if (!(weight >= 0) || Float.isInfinite(weight)) {
      throw new InvalidQueryException(what + " must be finite and >= 0, got " + weight);
    }
    return weight;
  }

  /**
   * {@code Σ w_list · term_list(d)} over the two lists, in double, keyword list first; {@code
   * terms} gives each entry's term from its list's scores (in rank order).
   */
  private static <K extends Comparable<? super K>> List<Ranked<K>> weightedSum(
      List<Ranked<K>> keyword,
      float keywordWeight,
      List<Ranked<K>> vector,
      float vectorWeight,
      Function<float[], double[]> terms) {
    Map<K, Double> fused = new LinkedHashMap<>();
    add(fused, keyword, keywordWeight, terms);
    add(fused, vector, vectorWeight, terms);
    List<Ranked<K>> out = new ArrayList<>(fused.size());
    fused.forEach((key, score) -> out.add(new Ranked<>(key, score.floatValue())));
    out.sort(Ranked.order());
    return out;
  }

  private static <K extends Comparable<? super K>> void add(
      Map<K, Double> fused, List<Ranked<K>> list, float weight, Function<float[], double[]> terms) {
    requireDistinct(list);
    float[] scores = new float[list.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = list.get(i).score();
    }
    double[] t = terms.apply(scores);
    for (int i = 0; i < t.length; i++) {
      fused.merge(list.get(i).key(), weight * t[i], Double::sum);
    }
  }

  private static <K extends Comparable<? super K>> void requireDistinct(List<Ranked<K>> list) {
    Set<K> seen = new HashSet<>(list.size() * 2);
    for (Ranked<K> r : list) {
      if (!seen.add(r.key())) {
        throw new IllegalArgumentException("a ranked list holds " + r.key() + " twice");
      }
    }
  }
}
