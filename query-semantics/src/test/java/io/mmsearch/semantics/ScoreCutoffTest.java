package io.mmsearch.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreCutoffTest {

  private static List<Ranked<Integer>> list(float... scores) {
    List<Ranked<Integer>> out = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      out.add(new Ranked<>(i, scores[i]));
    }
    return out;
  }

  private static List<Integer> keys(List<Ranked<Integer>> list) {
    return list.stream().map(Ranked::key).toList();
  }

  @Test
  void noCutoffReturnsTheListItself() {
    List<Ranked<Integer>> l = list(0.9f, 0.1f);
    assertSame(l, ScoreCutoff.NONE.apply(l));
  }

  @Test
  void aMinimumScoreKeepsHitsScoringAtLeastIt() {
    assertEquals(
        List.of(0, 1), keys(ScoreCutoff.minScore(0.8f).apply(list(0.9f, 0.8f, 0.79f, 0.5f))));
  }

  @Test
  void autocutCutsBeforeTheFirstJump() {
    // Three close scores, a drop, two close scores: one jump, before index 3.
    assertEquals(
        List.of(0, 1, 2),
        keys(ScoreCutoff.autocut(1).apply(list(0.90f, 0.89f, 0.88f, 0.50f, 0.49f))));
  }

  @Test
  void autocutCountsJumps() {
    float[] scores = {0.95f, 0.94f, 0.70f, 0.69f, 0.68f, 0.30f, 0.29f, 0.28f};
    assertEquals(2, ScoreCutoff.autocutEnd(scores, 1));
    assertEquals(5, ScoreCutoff.autocutEnd(scores, 2));
    assertEquals(scores.length, ScoreCutoff.autocutEnd(scores, 3));
  }

  @Test
  void autocutKeepsEvenlyFallingOrEqualScores() {
    assertEquals(4, ScoreCutoff.autocutEnd(new float[] {4, 3, 2, 1}, 1));
    assertEquals(3, ScoreCutoff.autocutEnd(new float[] {1, 1, 1}, 1));
    assertEquals(1, ScoreCutoff.autocutEnd(new float[] {1}, 1));
  }

  @Test
  void autocutRunsOnWhatTheMinimumKept() {
    ScoreCutoff both = new ScoreCutoff(0.6f, 1);
    // Below 0.6 is gone first; of 0.9, 0.89, 0.7, 0.69 the jump is before 0.7.
    assertEquals(List.of(0, 1), keys(both.apply(list(0.9f, 0.89f, 0.7f, 0.69f, 0.1f))));
  }

  @Test
  void thresholdsOutsideTheScoreRangeAreRefusedNamingTheParameter() {
    InvalidQueryException e =
        assertThrows(
            InvalidQueryException.class,
            () ->
                ScoreCutoff.minScore(1.5f)
                    .requireWithin("minScore", ScoreCutoff.ScoreRange.SIMILARITY));
    assertEquals(
        "minScore 1.5 is outside the range of vector similarity scores, [0, 1] ((1 + cos) / 2);"
            + " it would keep no hit",
        e.getMessage());
    assertThrows(
        InvalidQueryException.class,
        () ->
            ScoreCutoff.minScore(-1f)
                .requireWithin("keywordMinScore", ScoreCutoff.ScoreRange.BM25));
    assertEquals(
        ScoreCutoff.minScore(25f),
        ScoreCutoff.minScore(25f).requireWithin("keywordMinScore", ScoreCutoff.ScoreRange.BM25));
  }

  @Test
  void negativeAutocutIsRefused() {
    assertThrows(InvalidQueryException.class, () -> ScoreCutoff.autocut(-1));
  }
}
