package io.mmsearch.faiss;

import com.carrotsearch.randomizedtesting.annotations.ThreadLeakFilters;
import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.lucene.rerank.ExactScorers;
import io.mmsearch.lucene.rerank.JavaExactScorer;
import io.mmsearch.lucene.rerank.RandomVectors;
import io.mmsearch.lucene.rerank.RankedHits;
import java.util.List;
import org.apache.lucene.tests.util.LuceneTestCase;

@ThreadLeakFilters(defaultFilters = true, filters = JavaCppThreadFilter.class)
public class ExactScorerAgreementTest extends LuceneTestCase {

  public void testFaissAndJavaScoresAgreeWithin1e5OnRandomUnitVectors() {
    int dim = 1 + random().nextInt(300);
    int count = random().nextInt(1500);
    float[] candidates = RandomVectors.unit(random(), count, dim);
    float[] query = RandomVectors.unit(random(), 1, dim);
    try (ExactScorer faiss = new FaissExactScorer();
        ExactScorer java = new JavaExactScorer()) {
      float[] f = faiss.innerProducts(query, candidates, count);
      float[] j = java.innerProducts(query, candidates, count);
      assertEquals(count, f.length);
      for (int i = 0; i < count; i++) {
        assertEquals("candidate " + i, j[i], f[i], 1e-5f);
      }
    }
  }

  public void testFaissAndJavaRankIdenticallyWithTiesBrokenByDocId() {
    int dim = 1 + random().nextInt(64);
    int count = 1 + random().nextInt(2000);
    // Few distinct component values and small dimensions produce many exactly tied scores.
    float[] candidates = RandomVectors.exact(random(), count, dim);
    float[] query = RandomVectors.exact(random(), 1, dim);
    int[] docs = new int[count];
    for (int i = 0; i < count; i++) {
      docs[i] = random().nextInt(1_000_000);
    }
    int k = 1 + random().nextInt(count);
    try (ExactScorer faiss = new FaissExactScorer();
        ExactScorer java = new JavaExactScorer()) {
      float[] f = faiss.innerProducts(query, candidates, count);
      float[] j = java.innerProducts(query, candidates, count);
      assertArrayEquals(j, f, 0f);
      int[] fr = RankedHits.topIndexes(docs, f, k);
      int[] jr = RankedHits.topIndexes(docs, j, k);
      assertArrayEquals(jr, fr);
      for (int i = 1; i < fr.length; i++) {
        float prev = f[fr[i - 1]], cur = f[fr[i]];
        assertTrue(prev > cur || (prev == cur && docs[fr[i - 1]] <= docs[fr[i]]));
      }
    }
  }

  public void testZeroCandidatesGiveNoScores() {
    try (ExactScorer faiss = new FaissExactScorer()) {
      assertEquals(0, faiss.innerProducts(new float[] {1, 0}, new float[0], 0).length);
    }
  }

  public void testBlockShorterThanCountTimesDimensionIsRejectedBeforeNativeCode() {
    for (ExactScorer scorer : new ExactScorer[] {new FaissExactScorer(), new JavaExactScorer()}) {
      IllegalArgumentException e =
          expectThrows(
              IllegalArgumentException.class,
              () -> scorer.innerProducts(new float[4], new float[11], 3));
      assertTrue(e.getMessage(), e.getMessage().contains("11 floats"));
    }
  }

  public void testScorersNameTheirPath() {
    assertEquals("faiss", new FaissExactScorer().name());
    assertEquals("java", new JavaExactScorer().name());
    assertEquals(List.of("java", "faiss"), ExactScorers.available());
    for (String kind : ExactScorers.available()) {
      assertEquals(kind, ExactScorers.create(kind).name());
    }
  }

  public void testTheSystemPropertyChoosesTheScorerAndTheBenchmarkedDefaultApplies() {
    String saved = System.getProperty(ExactScorers.KIND_PROPERTY);
    try {
      System.clearProperty(ExactScorers.KIND_PROPERTY);
      assertEquals(ExactScorers.DEFAULT_KIND, ExactScorers.configuredKind());
      System.setProperty(ExactScorers.KIND_PROPERTY, "FAISS");
      assertEquals("faiss", ExactScorers.defaultScorer().name());
      System.setProperty(ExactScorers.KIND_PROPERTY, "java");
      assertEquals("java", ExactScorers.defaultScorer().name());
    } finally {
      if (saved == null) {
        System.clearProperty(ExactScorers.KIND_PROPERTY);
      } else {
        System.setProperty(ExactScorers.KIND_PROPERTY, saved);
      }
    }
  }

  public void testUnknownScorerKindIsRejectedWithTheAvailableNames() {
    IllegalArgumentException e =
        expectThrows(IllegalArgumentException.class, () -> ExactScorers.create("blas"));
    assertTrue(e.getMessage(), e.getMessage().contains("'blas'"));
    assertTrue(e.getMessage(), e.getMessage().contains("[java, faiss]"));
  }
}
