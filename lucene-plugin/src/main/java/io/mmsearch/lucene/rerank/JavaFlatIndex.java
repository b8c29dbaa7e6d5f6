package io.mmsearch.lucene.rerank;

import org.apache.lucene.util.VectorUtil;

/**
 * {@link FlatExactIndex} in pure Java: one {@link VectorUtil#dotProduct(float[], float[])} per
 * stored vector and query, single-threaded per call. Keeps one heap array per vector; nothing to
 * release.
 */
final class JavaFlatIndex implements FlatExactIndex {
  private final float[][] rows;
  private final int[] docIds;
  private final int dimension;

  JavaFlatIndex(VectorBlock vectors) {
    this.dimension = vectors.dimension();
    this.rows = new float[vectors.size()][];
    this.docIds = new int[vectors.size()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = vectors.vector(i);
      docIds[i] = vectors.docId(i);
    }
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int size() {
    return rows.length;
  }

  @Override
  public String name() {
    return "java";
  }

  @Override
  public ExactHits search(float[][] queries, int k) {
    FlatExactIndex.checkQueries(queries, k, dimension);
    int n = Math.min(k, rows.length);
    int[][] ids = new int[queries.length][n];
    float[][] scores = new float[queries.length][n];
    for (int q = 0; q < queries.length; q++) {
      RankedHits hits = new RankedHits(n);
      float[] query = queries[q];
      for (int i = 0; i < rows.length; i++) {
        hits.offer(docIds[i], VectorUtil.dotProduct(query, rows[i]));
      }
      hits.drainInto(ids[q], scores[q]);
    }
    return new ExactHits(ids, scores);
  }

  @Override
  public void close() {}
}
