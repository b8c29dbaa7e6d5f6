package io.mmsearch.lucene.fusion;

import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.tests.util.LuceneTestCase;

/** Linear fusion (and the RRF it sits beside) against values worked out by hand. */
public class LinearFusionTest extends LuceneTestCase {
  // keyword list: doc 1 (3.0), doc 2 (2.0), doc 3 (1.0); vector list: doc 3 (0.9), doc 4 (0.8),
  // doc 1 (0.7).
  private static final TopDocs KEYWORD = list(1, 3.0f, 2, 2.0f, 3, 1.0f);
  private static final TopDocs VECTOR = list(3, 0.9f, 4, 0.8f, 1, 0.7f);

  private static TopDocs list(Object... docAndScore) {
    ScoreDoc[] hits = new ScoreDoc[docAndScore.length / 2];
    for (int i = 0; i < hits.length; i++) {
      hits[i] = new ScoreDoc((Integer) docAndScore[2 * i], (Float) docAndScore[2 * i + 1]);
    }
    return new TopDocs(new TotalHits(hits.length, TotalHits.Relation.EQUAL_TO), hits);
  }

  private static int[] docs(TopDocs td) {
    int[] docs = new int[td.scoreDocs.length];
    for (int i = 0; i < docs.length; i++) {
      docs[i] = td.scoreDocs[i].doc;
    }
    return docs;
  }

  public void testWeightedSumOfMinMaxNormalisedScores() {
    TopDocs fused = LinearFusion.fuse(new TopDocs[] {KEYWORD, VECTOR}, new float[] {0.3f, 0.7f});
    // keyword norm: doc1 (3-1)/2 = 1, doc2 .5, doc3 0; vector norm: doc3 (.9-.7)/.2 = 1, doc4 .5,
    // doc1 0. fused: doc1 .3, doc2 .15, doc3 .7, doc4 .35.
    assertArrayEquals(new int[] {3, 4, 1, 2}, docs(fused));
    assertEquals(0.7f, fused.scoreDocs[0].score, 1e-6f);
    assertEquals(0.35f, fused.scoreDocs[1].score, 1e-6f);
    assertEquals(0.3f, fused.scoreDocs[2].score, 1e-6f);
    assertEquals(0.15f, fused.scoreDocs[3].score, 1e-6f);
    assertEquals(4, fused.totalHits.value());
  }

  public void testEqualScoresInAListNormaliseToOneAndTiesGoByDocId() {
    TopDocs single = list(6, 0.4f, 5, 0.4f);
    TopDocs fused = LinearFusion.fuse(new TopDocs[] {single, list()}, new float[] {1f, 1f});
    assertArrayEquals(new int[] {5, 6}, docs(fused));
    assertEquals(1f, fused.scoreDocs[0].score, 0f);
    assertEquals(1f, fused.scoreDocs[1].score, 0f);
  }

  public void testNeedsOneFiniteNonNegativeWeightPerList() {
    expectThrows(
        IllegalArgumentException.class,
        () -> LinearFusion.fuse(new TopDocs[] {KEYWORD, VECTOR}, new float[] {1f}));
    expectThrows(
        IllegalArgumentException.class,
        () -> LinearFusion.fuse(new TopDocs[] {KEYWORD}, new float[] {-1f}));
    expectThrows(
        IllegalArgumentException.class,
        () -> LinearFusion.fuse(new TopDocs[] {KEYWORD}, new float[] {Float.NaN}));
  }

  /** The RRF formula documented for other front ends: Lucene's TopDocs.rrf computes exactly it. */
  public void testLuceneRrfSumsReciprocalRanksAndBreaksTiesByDocId() {
    TopDocs fused = TopDocs.rrf(10, 60, new TopDocs[] {KEYWORD, VECTOR});
    // doc 1: ranks 1 and 3; doc 3: ranks 3 and 1 -> equal, doc 1 first. doc 2: rank 2 in keywords
    // only; doc 4: rank 2 in vectors only -> equal, doc 2 first.
    assertArrayEquals(new int[] {1, 3, 2, 4}, docs(fused));
    assertEquals((float) (1.0 / 61 + 1.0 / 63), fused.scoreDocs[0].score, 0f);
    assertEquals((float) (1.0 / 62), fused.scoreDocs[2].score, 0f);
  }
}
