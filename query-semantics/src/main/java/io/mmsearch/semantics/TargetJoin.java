package io.mmsearch.semantics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the ranked lists of several {@link VectorTarget}s (the query vector matched against image
 * vectors and against caption vectors) become the one vector list of a request, which then fuses
 * with the keyword list like any vector list. Each target's list is that target's nearest
 * neighbours (filtered, exactly re-ranked, read to the window); the joined list holds every
 * document of any of them. Immutable values.
 *
 * <ul>
 *   <li>{@link Mean}: {@code score(d) = Σ_t w_t · s_t(d) / Σ_t w_t} over the targets {@code d} has
 *       a vector in, where {@code s_t} is the similarity score ({@link VectorScores#similarity}) of
 *       the query vector and {@code d}'s vector in target {@code t}; a score is computed for every
 *       target {@code d} has, including those whose list did not reach {@code d} (as Weaviate's
 *       multi-target search does), so the joined score is a similarity in the same units as one
 *       target's. A document without a caption vector ranks by its image vector alone.
 *   <li>{@link Rrf}: {@code score(d) = Σ_t w_t / (c + rank_t(d))} over the lists that contain
 *       {@code d}; the joined scores are then rank scores, not similarities.
 * </ul>
 *
 * <p>Arithmetic in double, in target order, returned as float; ties in {@linkplain Ranked#order()
 * rank order}.
 */
public sealed interface TargetJoin permits TargetJoin.Mean, TargetJoin.Rrf {

  /**
   * The scores of a document in each target, for the joins that need them.
   *
   * @param <K> the engine's document key
   */
  @FunctionalInterface
  interface TargetScores<K> {
    /**
     * The similarity score of the query vector and {@code key}'s vector in target {@code target}
     * (an index into the request's targets), or {@code NaN} if the document has no vector there.
     */
    float score(K key, int target);
  }

  /**
   * Joins the targets' lists.
   *
   * @param targets the request's targets, in order
   * @param lists each target's list, in rank order, same order as {@code targets}
   * @param scores every document's score in every target (used by {@link Mean} only)
   * @return every document of any list that has a score, in rank order
   */
  <K extends Comparable<? super K>> List<Ranked<K>> join(
      List<VectorTarget> targets, List<List<Ranked<K>>> lists, TargetScores<K> scores);

  /** Whether the joined scores are similarities ({@code (1 + cos) / 2}), so a minimum applies. */
  boolean givesSimilarities();

  /**
   * The join a user names: {@code mean} or {@code rrf} (rank constant 60), any case.
   *
   * @throws InvalidQueryException for any other name
   */
  static TargetJoin named(String name) {
    switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "mean":
        return new Mean();
      case "rrf":
        return new Rrf(Fusion.DEFAULT_RANK_CONSTANT);
      default:
        throw new InvalidQueryException("target join must be mean or rrf, got '" + name + "'");
    }
  }

  /**
   * Checks a request's targets: at least one, no field twice, not all weights 0.
   *
   * @throws InvalidQueryException naming the problem
   */
  static List<VectorTarget> requireValid(List<VectorTarget> targets) {
    if (targets.isEmpty()) {
      throw new InvalidQueryException("a vector search needs at least one target field");
    }
    Set<String> fields = new LinkedHashSet<>();
    boolean anyWeight = false;
    for (VectorTarget t : targets) {
      if (!fields.add(t.field())) {
        throw new InvalidQueryException("vector target " + t.field() + " is given twice");
      }
      anyWeight |= t.weight() > 0;
    }
    if (!anyWeight) {
      throw new InvalidQueryException(
          "the weights of the vector targets " + fields + " are all 0: nothing would rank");
    }
    return List.copyOf(targets);
  }

  /** The weighted mean of the similarity scores a document has (see the interface). */
  record Mean() implements TargetJoin {
    @Override
    public <K extends Comparable<? super K>> List<Ranked<K>> join(
        List<VectorTarget> targets, List<List<Ranked<K>>> lists, TargetScores<K> scores) {
      List<Ranked<K>> out = new ArrayList<>();
      for (K key : union(lists)) {
        double sum = 0;
        double weights = 0;
        for (int t = 0; t < targets.size(); t++) {
          float w = targets.get(t).weight();
          float s = w > 0 ? scores.score(key, t) : Float.NaN;
          if (!Float.isNaN(s)) {
            sum += w * (double) s;
            weights += w;
          }
        }
        if (weights > 0) {
          out.add(new Ranked<>(key, (float) (sum / weights)));
        }
      }
      out.sort(Ranked.order());
      return out;
    }

    @Override
    public boolean givesSimilarities() {
      return true;
    }

    @Override
    public String toString() {
      return "mean";
    }
  }

  /**
   * Reciprocal rank fusion of the targets' lists with the targets' weights.
   *
   * @param rankConstant {@code c}, at least 1
   */
  record Rrf(int rankConstant) implements TargetJoin {
    public Rrf {
      if (rankConstant < 1) {
        throw new InvalidQueryException("the RRF rank constant must be >= 1, got " + rankConstant);
      }
    }

    @Override
    public <K extends Comparable<? super K>> List<Ranked<K>> join(
        List<VectorTarget> targets, List<List<Ranked<K>>> lists, TargetScores<K> scores) {
      Map<K, Double> fused = new LinkedHashMap<>();
      for (int t = 0; t < targets.size(); t++) {
        List<Ranked<K>> list = lists.get(t);
        double w = targets.get(t).weight();
        if (w == 0) {
          continue; // a target that weighs nothing adds no documents either
        }
        for (int i = 0; i < list.size(); i++) {
          fused.merge(list.get(i).key(), w / ((double) rankConstant + i + 1), Double::sum);
        }
      }
      List<Ranked<K>> out = new ArrayList<>(fused.size());
      fused.forEach((key, score) -> out.add(new Ranked<>(key, score.floatValue())));
      out.sort(Ranked.order());
      return out;
    }

    @Override
    public boolean givesSimilarities() {
      return false;
    }

    @Override
    public String toString() {
      return "rrf(" + rankConstant + ")";
    }
  }

  private static <K extends Comparable<? super K>> Set<K> union(List<List<Ranked<K>>> lists) {
    Set<K> keys = new LinkedHashSet<>();
    for (List<Ranked<K>> list : lists) {
      for (Ranked<K> r : list) {
        keys.add(r.key());
      }
    }
    return keys;
  }
}
