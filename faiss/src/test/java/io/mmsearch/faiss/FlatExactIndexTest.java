package io.mmsearch.faiss;

import com.carrotsearch.randomizedtesting.annotations.ThreadLeakFilters;
import io.mmsearch.lucene.rerank.ExactHits;
import io.mmsearch.lucene.rerank.FlatExactIndex;
import io.mmsearch.lucene.rerank.RandomVectors;
import io.mmsearch.lucene.rerank.VectorBlock;
import java.util.Arrays;
import org.apache.lucene.tests.util.LuceneTestCase;

@ThreadLeakFilters(defaultFilters = true, filters = JavaCppThreadFilter.class)
public class FlatExactIndexTest extends LuceneTestCase {

  /** Brute force in the test's own words: score every vector, sort by score desc then doc asc. */
  private static int[] bruteForce(VectorBlock block, float[] query, int k) {
    int dim = block.dimension();
    Integer[] rows = new Integer[block.size()];
    float[] scores = new float[block.size()];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = r;
      float s = 0;
      for (int j = 0; j < dim; j++) {
        s += query[j] * block.data()[r * dim + j];
      }
      scores[r] = s;
    }
    Arrays.sort(
        rows,
        (a, b) ->
            scores[a] != scores[b]
                ? Float.compare(scores[b], scores[a])
                : Integer.compare(block.docId(a), block.docId(b)));
    return Arrays.stream(rows).limit(k).mapToInt(block::docId).toArray();
  }

  private static VectorBlock exactBlock(int n, int dim) {
    float[] data = RandomVectors.exact(random(), n, dim);
    if (random().nextBoolean()) {
      return VectorBlock.of(data, dim);
    }
    // Doc ids that are neither dense nor in row order.
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 3 * (n - i) + 7;
    }
    return VectorBlock.of(data, dim, ids);
  }

  public void testFaissAndJavaTopKEqualBruteForceWithTies() {
    int dim = 1 + random().nextInt(48);
    int n = 1 + random().nextInt(3000);
    VectorBlock block = exactBlock(n, dim);
    float[][] queries = new float[1 + random().nextInt(40)][];
    for (int q = 0; q < queries.length; q++) {
      queries[q] = RandomVectors.exact(random(), 1, dim);
    }
    int k = 1 + random().nextInt(Math.min(n, 50));
    try (FlatExactIndex faiss = new FaissFlatIndex(block);
        FlatExactIndex java = FlatExactIndex.java(block)) {
      ExactHits f = faiss.search(queries, k);
      ExactHits j = java.search(queries, k);
      for (int q = 0; q < queries.length; q++) {
        int[] expected = bruteForce(block, queries[q], k);
        assertArrayEquals("faiss, query " + q, expected, f.docIds(q));
        assertArrayEquals("java, query " + q, expected, j.docIds(q));
        assertArrayEquals(j.scores(q), f.scores(q), 0f);
      }
    }
  }

  public void testTiesAcrossTheKthPositionAreResolvedByDocId() {
    int dim = 8;
    int n = 200 + random().nextInt(300);
    float[] data = new float[n * dim];
    for (int i = 0; i < n; i++) {
      data[i * dim] = 1; // every vector identical: all scores tie
    }
    VectorBlock block = VectorBlock.of(data, dim);
    float[] query = new float[dim];
    query[0] = 1;
    int k = 1 + random().nextInt(20);
    int[] firstDocs = new int[k];
    Arrays.setAll(firstDocs, i -> i);
    try (FlatExactIndex faiss = new FaissFlatIndex(block)) {
      assertArrayEquals(firstDocs, faiss.search(new float[][] {query}, k).docIds(0));
    }
  }

  public void testFaissAndJavaScoresAgreeOnRandomUnitVectors() {
    int dim = 256;
    int n = 500 + random().nextInt(1500);
    VectorBlock block = VectorBlock.of(RandomVectors.unit(random(), n, dim), dim);
    float[][] queries = new float[30][];
    for (int q = 0; q < queries.length; q++) {
      queries[q] = RandomVectors.unit(random(), 1, dim);
    }
    try (FlatExactIndex faiss = new FaissFlatIndex(block);
        FlatExactIndex java = FlatExactIndex.java(block)) {
      ExactHits f = faiss.search(queries, 10);
      ExactHits j = java.search(queries, 10);
      for (int q = 0; q < queries.length; q++) {
        float[] fs = f.scores(q);
        float[] js = j.scores(q);
        assertArrayEquals(js, fs, 1e-5f);
        int[] fd = f.docIds(q);
        int[] jd = j.docIds(q);
        for (int i = 0; i < fd.length; i++) {
          // Rounding may swap two hits only if their scores are within rounding of each other.
          if (fd[i] != jd[i]) {
            assertEquals(fs[i], js[i], 1e-5f);
          }
        }
      }
    }
  }

  public void testKLargerThanTheIndexReturnsEveryVector() {
    VectorBlock block = exactBlock(5, 4);
    try (FlatExactIndex faiss = new FaissFlatIndex(block);
        FlatExactIndex java = FlatExactIndex.java(block)) {
      float[][] queries = {RandomVectors.exact(random(), 1, 4)};
      assertEquals(5, faiss.search(queries, 100).docIds(0).length);
      assertArrayEquals(java.search(queries, 100).docIds(0), faiss.search(queries, 100).docIds(0));
    }
  }

  public void testQueryWithWrongDimensionIsRejectedNamingIt() {
    try (FlatExactIndex faiss = new FaissFlatIndex(exactBlock(10, 4))) {
      IllegalArgumentException e =
          expectThrows(
              IllegalArgumentException.class,
              () -> faiss.search(new float[][] {new float[4], new float[3]}, 1));
      assertTrue(e.getMessage(), e.getMessage().contains("query 1 has 3 dimensions"));
    }
  }

  public void testSearchAfterCloseFails() {
    FlatExactIndex faiss = new FaissFlatIndex(exactBlock(10, 4));
    faiss.close();
    expectThrows(IllegalStateException.class, () -> faiss.search(new float[][] {new float[4]}, 1));
  }
}
