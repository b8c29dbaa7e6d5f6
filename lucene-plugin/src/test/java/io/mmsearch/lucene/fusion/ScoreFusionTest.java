package io.mmsearch.lucene.fusion;

import java.util.List;
import org.apache.lucene.tests.util.LuceneTestCase;

/** Fusion arithmetic against values worked out by hand. */
public class ScoreFusionTest extends LuceneTestCase {
  // keyword list: doc 1 (3.0), doc 2 (2.0), doc 3 (1.0); vector list: doc 3 (0.9), doc 4 (0.8),
  // doc 1 (0.7).
  private static final RankedList KEYWORD =
      RankedList.of(new int[] {2, 1, 3}, new float[] {2.0f, 3.0f, 1.0f});
  private static final RankedList VECTOR =
      RankedList.of(new int[] {1, 3, 4}, new float[] {0.7f, 0.9f, 0.8f});

  public void testRankedListSortsByScoreThenDocId() {
    RankedList list = RankedList.of(new int[] {9, 4, 7}, new float[] {1f, 2f, 1f});
    assertArrayEquals(new int[] {4, 7, 9}, list.docs());
  }

  public void testRankedListRejectsARepeatedDoc() {
    expectThrows(
        IllegalArgumentException.class,
        () -> RankedList.of(new int[] {1, 1}, new float[] {1f, 2f}));
  }

  public void testRrfSumsReciprocalRanksAndBreaksTiesByDocId() {
    RankedList fused = new ReciprocalRankFusion(60, 1f, 1f).fuse(List.of(KEYWORD, VECTOR));
    // doc 1: ranks 1 and 3; doc 3: ranks 3 and 1 -> equal, doc 1 first. doc 2: rank 2 in keywords
    // only; doc 4: rank 2 in vectors only -> equal, doc 2 first.
    assertArrayEquals(new int[] {1, 3, 2, 4}, fused.docs());
    assertEquals(1f / 61 + 1f / 63, fused.score(0), 0f);
    assertEquals(1f / 63 + 1f / 61, fused.score(1), 0f);
    assertEquals(1f / 62, fused.score(2), 0f);
    assertEquals(1f / 62, fused.score(3), 0f);
  }

  public void testRrfRankConstantAndWeights() {
    RankedList fused = new ReciprocalRankFusion(10, 2f, 1f).fuse(List.of(KEYWORD, VECTOR));
    // doc 1: 2/11 + 1/13 = .2587; doc 2: 2/12 = .1667; doc 3: 2/13 + 1/11 = .2448; doc 4: 1/12.
    assertArrayEquals(new int[] {1, 3, 2, 4}, fused.docs());
    assertEquals(2f / 11 + 1f / 13, fused.score(0), 1e-7f);
    assertEquals(2f / 13 + 1f / 11, fused.score(1), 1e-7f);
    assertEquals(2f / 12, fused.score(2), 1e-7f);
    assertEquals(1f / 12, fused.score(3), 1e-7f);
  }

  public void testLinearFusionOfMinMaxNormalisedScores() {
    RankedList fused = new LinearFusion(0.3f, 0.7f).fuse(List.of(KEYWORD, VECTOR));
    // keyword norm: doc1 (3-1)/2 = 1, doc2 .5, doc3 0; vector norm: doc3 (.9-.7)/.2 = 1, doc4 .5,
    // doc1 0. fused: doc1 .3, doc2 .15, doc3 .7, doc4 .35.
    assertArrayEquals(new int[] {3, 4, 1, 2}, fused.docs());
    assertEquals(0.7f, fused.score(0), 1e-6f);
    assertEquals(0.35f, fused.score(1), 1e-6f);
    assertEquals(0.3f, fused.score(2), 1e-6f);
    assertEquals(0.15f, fused.score(3), 1e-6f);
  }

  public void testLinearFusionGivesEqualScoresInAListNormOne() {
    RankedList single = RankedList.of(new int[] {5, 6}, new float[] {0.4f, 0.4f});
    RankedList fused = new LinearFusion(1f, 1f).fuse(List.of(single, RankedList.empty()));
    assertArrayEquals(new int[] {5, 6}, fused.docs());
    assertEquals(1f, fused.score(0), 0f);
    assertEquals(1f, fused.score(1), 0f);
  }

  public void testFusionNeedsOneWeightPerList() {
    expectThrows(
        IllegalArgumentException.class, () -> new LinearFusion(1f).fuse(List.of(KEYWORD, VECTOR)));
    expectThrows(IllegalArgumentException.class, () -> new ReciprocalRankFusion(0, 1f));
    expectThrows(IllegalArgumentException.class, () -> new LinearFusion(-1f, 1f));
  }
}
