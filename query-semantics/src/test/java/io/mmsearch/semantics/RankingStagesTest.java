package io.mmsearch.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankingStagesTest {
  private static final Diversity.HitFeatures<String> NO_FEATURES =
      new Diversity.HitFeatures<>() {
        @Override
        public float[] imageVector(String key) {
          return new float[] {key.hashCode(), 1};
        }

        @Override
        public String contentHash(String key) {
          return null;
        }
      };

  private static RankingStages stages(ScoreCutoff keyword, ScoreCutoff vector) {
    RankingStages d = RankingStages.defaults();
    return new RankingStages(d.targets(), d.join(), keyword, vector, d.fusion(), d.diversity());
  }

  private static List<String> keys(RankingStages.Outcome<String> o) {
    return o.ranking().stream().map(Diversity.DiverseHit::key).toList();
  }

  @Test
  void cutoffsApplyToEachListBeforeFusion() {
    List<Ranked<String>> keyword = List.of(new Ranked<>("k1", 9f), new Ranked<>("k2", 2f));
    List<Ranked<String>> vector = List.of(new Ranked<>("v1", 0.9f), new Ranked<>("k2", 0.4f));
    RankingStages.Outcome<String> o =
        stages(ScoreCutoff.minScore(5f), ScoreCutoff.minScore(0.5f))
            .run(keyword, List.of(vector), (k, t) -> Float.NaN, NO_FEATURES, 10);
    // k2 fails both lists' minimum and is gone, although RRF would rank it first.
    assertEquals(List.of("k1", "v1"), keys(o));
    assertEquals(List.of(new Ranked<>("k1", 9f)), o.keyword());
    assertEquals(List.of(new Ranked<>("v1", 0.9f)), o.vector());
  }

  @Test
  void aDocumentKeptByOneListSurvivesFusion() {
    List<Ranked<String>> keyword = List.of(new Ranked<>("k1", 9f), new Ranked<>("both", 8f));
    List<Ranked<String>> vector = List.of(new Ranked<>("both", 0.4f));
    RankingStages.Outcome<String> o =
        stages(ScoreCutoff.NONE, ScoreCutoff.minScore(0.5f))
            .run(keyword, List.of(vector), (k, t) -> Float.NaN, NO_FEATURES, 10);
    assertEquals(List.of("k1", "both"), keys(o));
  }

  @Test
  void severalTargetsJoinIntoOneVectorListCutToTheWindow() {
    RankingStages d = RankingStages.defaults();
    RankingStages two =
        new RankingStages(
            List.of(VectorTarget.of("image_vec"), VectorTarget.of("caption_vec")),
            new TargetJoin.Mean(),
            ScoreCutoff.NONE,
            ScoreCutoff.NONE,
            d.fusion(),
            d.diversity());
    RankingStages.Outcome<String> o =
        two.run(
            null,
            List.of(
                List.of(new Ranked<>("a", 0.8f), new Ranked<>("b", 0.7f)),
                List.of(new Ranked<>("c", 0.9f), new Ranked<>("a", 0.6f))),
            (k, t) -> k.equals("c") ? (t == 0 ? 0.5f : 0.9f) : (t == 0 ? 0.8f : 0.6f),
            NO_FEATURES,
            2);
    // a: (0.8+0.6)/2 = 0.7, b: 0.7, c: 0.7; ties by key, cut to the window of 2.
    assertEquals(List.of("a", "b"), keys(o));
  }

  @Test
  void aVectorMinimumNeedsSimilarityScores() {
    RankingStages d = RankingStages.defaults();
    assertEquals(
        "minScore needs similarity scores, and the rrf(60) join of several targets gives rank"
            + " scores: use the mean join, or autocut",
        assertThrows(
                InvalidQueryException.class,
                () ->
                    new RankingStages(
                        List.of(VectorTarget.of("image_vec"), VectorTarget.of("caption_vec")),
                        new TargetJoin.Rrf(60),
                        ScoreCutoff.NONE,
                        ScoreCutoff.minScore(0.5f),
                        d.fusion(),
                        d.diversity()))
            .getMessage());
    assertThrows(
        InvalidQueryException.class, () -> stages(ScoreCutoff.NONE, ScoreCutoff.minScore(2f)));
    assertThrows(
        InvalidQueryException.class, () -> stages(ScoreCutoff.minScore(-3f), ScoreCutoff.NONE));
  }
}
