package io.mmsearch.faiss;

import com.carrotsearch.randomizedtesting.annotations.ThreadLeakFilters;
import io.mmsearch.lucene.rerank.ExactHits;
import io.mmsearch.lucene.rerank.FlatExactIndex;
import io.mmsearch.lucene.rerank.RandomVectors;
import io.mmsearch.lucene.rerank.VectorBlock;
import org.apache.lucene.tests.util.LuceneTestCase;

@ThreadLeakFilters(defaultFilters = true, filters = JavaCppThreadFilter.class)
public class FaissHnswIndexTest extends LuceneTestCase {

  public void testSearchFindsNearlyAllExactNeighboursOfASmallSet() {
    int dim = 4 + random().nextInt(5); // low dimension: HNSW is then close to exact
    int n = 300 + random().nextInt(700);
    float[] data = RandomVectors.unit(random(), n, dim);
    int queries = 20;
    float[] queryData = RandomVectors.unit(random(), queries, dim);
    int k = 10;
    try (FaissHnswIndex hnsw = new FaissHnswIndex(dim, 16, 100);
        FlatExactIndex flat = FlatExactIndex.java(VectorBlock.of(data, dim))) {
      hnsw.add(data, n);
      assertEquals(n, hnsw.size());
      long[] ids = hnsw.search(queryData, queries, k, 200);
      int found = 0;
      for (int q = 0; q < queries; q++) {
        ExactHits exact = flat.search(new float[][] {RandomVectors.row(queryData, q, dim)}, k);
        for (int expected : exact.docIds(0)) {
          for (int i = q * k; i < (q + 1) * k; i++) {
            if (ids[i] == expected) {
              found++;
              break;
            }
          }
        }
      }
      double recall = found / (double) (queries * k);
      assertTrue("recall@10 " + recall, recall >= 0.95);
    }
  }

  public void testMemoryIsTheFloatsPlusFixedNeighbourSlots() {
    int dim = 8;
    int n = 500;
    try (FaissHnswIndex hnsw = new FaissHnswIndex(dim, 16, 40)) {
      hnsw.add(RandomVectors.unit(random(), n, dim), n);
      assertEquals((long) n * dim * Float.BYTES, hnsw.vectorBytes());
      // At least the 2M level-0 slots of 4 bytes per node.
      assertTrue(hnsw.graphBytes() >= (long) n * 32 * Integer.BYTES);
    }
  }

  public void testEfSearchBelowKIsRejected() {
    try (FaissHnswIndex hnsw = new FaissHnswIndex(4, 16, 40)) {
      hnsw.add(RandomVectors.unit(random(), 10, 4), 10);
      expectThrows(IllegalArgumentException.class, () -> hnsw.search(new float[4], 1, 10, 5));
    }
  }

  public void testSearchAfterCloseFails() {
    FaissHnswIndex hnsw = new FaissHnswIndex(4, 16, 40);
    hnsw.close();
    expectThrows(IllegalStateException.class, () -> hnsw.search(new float[4], 1, 1, 1));
  }
}
