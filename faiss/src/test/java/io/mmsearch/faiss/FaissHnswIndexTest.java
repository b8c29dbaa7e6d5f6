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

  public void testAWiderSearchExploresMoreOfTheGraph() {
    int dim = 64; // high dimension: a narrow search misses neighbours
    int n = 3000;
    float[] data = RandomVectors.unit(random(), n, dim);
    float[] queries = RandomVectors.unit(random(), 20, dim);
    try (FaissHnswIndex hnsw = new FaissHnswIndex(dim, 8, 40);
        FlatExactIndex flat = FlatExactIndex.java(VectorBlock.of(data, dim))) {
      hnsw.add(data, n);
      int narrow = 0;
      int wide = 0;
      long[] few = hnsw.search(queries, 20, 10, 10);
      long[] many = hnsw.search(queries, 20, 10, 1000);
      for (int q = 0; q < 20; q++) {
        for (int expected :
            flat.search(new float[][] {RandomVectors.row(queries, q, dim)}, 10).docIds(0)) {
          for (int i = q * 10; i < (q + 1) * 10; i++) {
            narrow += few[i] == expected ? 1 : 0;
            wide += many[i] == expected ? 1 : 0;
          }
        }
      }
      // efSearch 1000 over 3000 nodes is close to exhaustive; efSearch 10 is not.
      assertTrue("recall with efSearch 1000: " + wide / 200.0, wide >= 190);
      assertTrue(narrow + " < " + wide, narrow < wide);
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
