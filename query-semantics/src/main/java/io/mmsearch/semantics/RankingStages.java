package io.mmsearch.semantics;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything that happens to a request's ranked lists after the engine retrieved them, in this
 * order, written once for both engines:
 *
 * <ol>
 *   <li><b>Target join</b>: with several {@link VectorTarget}s, their lists become the one vector
 *       list ({@link TargetJoin}), cut to the list depth;
 *   <li><b>Cut-offs</b>: the keyword list and the vector list each lose what their {@link
 *       ScoreCutoff} cuts, in their own units;
 *   <li><b>Fusion</b>: two lists fuse ({@link Fusion}); a single list ranks by its own scores;
 *   <li><b>Diversity</b>: near-duplicate collapse and MMR over the first candidates ({@link
 *       Diversity}); without it the fused list is the ranking.
 * </ol>
 *
 * The engine reads each list (keyword, each target) to {@link #listDepth(int)}, supplies the
 * targets' scores of any document and the hits' image vectors and hashes when a stage asks, and
 * pages the ranking. Immutable; validated on construction.
 *
 * @param targets the vector fields the query vector is matched against (at least one)
 * @param join how several targets' lists join
 * @param keywordCutoff the keyword list's cut-off (BM25 units)
 * @param vectorCutoff the vector list's cut-off (similarity units)
 * @param fusion how a keyword and a vector list fuse
 * @param diversity the diversity stages
 */
public record RankingStages(
    List<VectorTarget> targets,
    TargetJoin join,
    ScoreCutoff keywordCutoff,
    ScoreCutoff vectorCutoff,
    Fusion fusion,
    Diversity diversity) {

  /** The name of the vector list's minimum score in messages (every front end uses it). */
  public static final String MIN_SCORE = "minScore";

  /** The name of the keyword list's minimum score in messages. */
  public static final String KEYWORD_MIN_SCORE = "keywordMinScore";

  /**
   * @throws InvalidQueryException if the targets are invalid ({@link TargetJoin#requireValid}), a
   *     minimum score is outside its list's range, or a vector minimum score is asked of a join
   *     whose scores are not similarities
   */
  public RankingStages {
    targets = TargetJoin.requireValid(targets);
    Objects.requireNonNull(join, "join");
    Objects.requireNonNull(keywordCutoff, "keywordCutoff");
    Objects.requireNonNull(vectorCutoff, "vectorCutoff");
    Objects.requireNonNull(fusion, "fusion");
    Objects.requireNonNull(diversity, "diversity");
    keywordCutoff.requireWithin(KEYWORD_MIN_SCORE, ScoreCutoff.ScoreRange.BM25);
    vectorCutoff.requireWithin(MIN_SCORE, ScoreCutoff.ScoreRange.SIMILARITY);
    if (vectorCutoff.hasMinScore() && targets.size() > 1 && !join.givesSimilarities()) {
      throw new InvalidQueryException(
          MIN_SCORE
              + " needs similarity scores, and the "
              + join
              + " join of several targets gives rank scores: use the mean join, or autocut");
    }
  }

  /** One target, the image vectors; no cut-off; RRF; no diversity. */
  public static RankingStages defaults() {
    return new RankingStages(
        List.of(VectorTarget.of(VectorTarget.IMAGE)),
        new TargetJoin.Mean(),
        ScoreCutoff.NONE,
        ScoreCutoff.NONE,
        Fusion.rrf(),
        Diversity.NONE);
  }

  /** How deep the engine reads each list (keyword, each target) for a request of this window. */
  public int listDepth(int window) {
    return diversity.listDepth(window);
  }

  /**
   * Whether several targets are joined (the engine must then supply {@link
   * TargetJoin.TargetScores}).
   */
  public boolean joinsTargets() {
    return targets.size() > 1;
  }

  /**
   * What the stages made of a request's lists.
   *
   * @param keyword the keyword list after its cut-off (empty without a keyword part)
   * @param vector the vector list (joined) after its cut-off (empty without a vector part)
   * @param fused the ranking before diversity: the fused list, or the single list
   * @param ranking the final ranking, which the engine pages
   */
  public record Outcome<K extends Comparable<? super K>>(
      List<Ranked<K>> keyword,
      List<Ranked<K>> vector,
      List<Ranked<K>> fused,
      List<Diversity.DiverseHit<K>> ranking) {}

  /**
   * Runs the stages.
   *
   * @param keyword the keyword list in rank order, or null if the request has no keyword part
   * @param targetLists each target's list in rank order (same order as {@link #targets()}), or an
   *     empty list if the request has no vector part
   * @param scores every document's score in every target (asked only when targets are joined by a
   *     score join)
   * @param features the hits' image vectors and hashes (asked only by the diversity stages)
   * @param window {@code max(k, from + size)}: how many hits the ranking keeps with diversity on
   */
  public <K extends Comparable<? super K>> Outcome<K> run(
      List<Ranked<K>> keyword,
      List<List<Ranked<K>>> targetLists,
      TargetJoin.TargetScores<K> scores,
      Diversity.HitFeatures<K> features,
      int window) {
    boolean hasVector = !targetLists.isEmpty();
    if (hasVector && targetLists.size() != targets.size()) {
      throw new IllegalArgumentException(
          targetLists.size() + " target lists for " + targets.size() + " targets");
    }
    int depth = listDepth(window);
    List<Ranked<K>> vector = List.of();
    if (hasVector) {
      vector =
          joinsTargets()
              ? head(join.join(targets, targetLists, scores), depth)
              : targetLists.get(0);
      vector = vectorCutoff.apply(vector);
    }
    List<Ranked<K>> keywordList = keyword == null ? List.of() : keywordCutoff.apply(keyword);
    List<Ranked<K>> fused;
    if (keyword != null && hasVector) {
      fused = fusion.fuse(keywordList, vector);
    } else {
      fused = hasVector ? vector : keywordList;
    }
    List<Diversity.DiverseHit<K>> ranking;
    if (diversity.isActive()) {
      ranking = diversity.apply(fused, features, window);
    } else {
      ranking = new ArrayList<>(fused.size());
      for (Ranked<K> r : fused) {
        ranking.add(new Diversity.DiverseHit<>(r.key(), r.score(), List.of()));
      }
    }
    return new Outcome<>(keywordList, vector, fused, ranking);
  }

  private static <T> List<T> head(List<T> list, int n) {
    return list.size() <= n ? list : new ArrayList<>(list.subList(0, n));
  }
}
