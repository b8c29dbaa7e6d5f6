package io.mmsearch.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiversityTest {
  private static final float S = (float) Math.sqrt(0.5);

  /** a and a2 point the same way, b is 45 degrees off, c orthogonal. */
  private static final Map<String, float[]> VECTORS =
      Map.of(
          "a", new float[] {1, 0},
          "a2", new float[] {1, 0},
          "b", new float[] {S, S},
          "c", new float[] {0, 1});

  private static final Map<String, String> HASHES = Map.of("a", "h1", "c", "h1");

  private static final Diversity.HitFeatures<String> FEATURES =
      new Diversity.HitFeatures<>() {
        @Override
        public float[] imageVector(String key) {
          return VECTORS.get(key);
        }

        @Override
        public String contentHash(String key) {
          return HASHES.get(key);
        }
      };

  private static final List<Ranked<String>> RANKED =
      List.of(
          new Ranked<>("a", 0.9f),
          new Ranked<>("a2", 0.89f),
          new Ranked<>("b", 0.8f),
          new Ranked<>("c", 0.5f));

  private static List<String> keys(List<Diversity.DiverseHit<String>> hits) {
    return hits.stream().map(Diversity.DiverseHit::key).toList();
  }

  @Test
  void withoutAStageTheWindowOfTheRankingIsKept() {
    assertEquals(List.of("a", "a2"), keys(Diversity.NONE.apply(RANKED, FEATURES, 2)));
  }

  @Test
  void collapseByCosineFoldsAHitIntoTheFirstKeptHitItDuplicates() {
    List<Diversity.DiverseHit<String>> hits =
        Diversity.NONE.withCollapseCosine(0.99f).apply(RANKED, FEATURES, 10);
    assertEquals(List.of("a", "b", "c"), keys(hits));
    assertEquals(List.of("a2"), hits.get(0).duplicates());
    assertEquals(0.9f, hits.get(0).score());
  }

  @Test
  void collapseByHashFoldsEqualHashesWhateverTheirVectors() {
    List<Diversity.DiverseHit<String>> hits =
        Diversity.NONE.withCollapseHash(true).apply(RANKED, FEATURES, 10);
    assertEquals(List.of("a", "a2", "b"), keys(hits));
    assertEquals(List.of("c"), hits.get(0).duplicates());
  }

  @Test
  void mmrAtLambdaOneKeepsTheRanking() {
    assertEquals(
        List.of("a", "a2", "b", "c"), keys(Diversity.NONE.withMmr(1f).apply(RANKED, FEATURES, 4)));
  }

  @Test
  void mmrTradesRelevanceForVariety() {
    // λ 0.5: after a, a2 (rel 0.975, cos 1) scores -0.0125, b (rel 0.75, cos 0.71) 0.021,
    // c (rel 0, cos 0) 0: b comes second; then a2 (-0.0125) before c (cos 0.71 with b: -0.35).
    assertEquals(
        List.of("a", "b", "a2"), keys(Diversity.NONE.withMmr(0.5f).apply(RANKED, FEATURES, 3)));
  }

  @Test
  void theStagesLookAtTheirCandidatesOnly() {
    // Three candidates for a window of 1: a2 and b fold into a, c is never considered.
    List<Diversity.DiverseHit<String>> hits =
        Diversity.NONE.withCollapseCosine(0.7f).withCandidates(3).apply(RANKED, FEATURES, 1);
    assertEquals(List.of("a"), keys(hits));
    assertEquals(List.of("a2", "b"), hits.get(0).duplicates());
    assertEquals(4, Diversity.NONE.withMmr(0.5f).withCandidates(2).listDepth(4), "the window");
    assertEquals(100, Diversity.NONE.withMmr(0.5f).listDepth(10));
    assertEquals(10, Diversity.NONE.listDepth(10));
  }

  @Test
  void settingsOutOfRangeAreRefused() {
    assertThrows(InvalidQueryException.class, () -> Diversity.NONE.withMmr(1.5f));
    assertThrows(InvalidQueryException.class, () -> Diversity.NONE.withCollapseCosine(2f));
    assertThrows(InvalidQueryException.class, () -> Diversity.NONE.withCandidates(0));
  }
}
