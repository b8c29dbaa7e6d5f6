package io.mmsearch.faiss;

import io.mmsearch.lucene.rerank.ExactHits;
import io.mmsearch.lucene.rerank.FlatExactIndex;
import io.mmsearch.lucene.rerank.RankedHits;
import io.mmsearch.lucene.rerank.VectorBlock;
import java.util.Arrays;

/**
 * {@link FlatExactIndex} backed by a FAISS {@code IndexFlatIP}. The vectors are copied into native
 * memory owned by this object and freed by {@link #close()}. FAISS batches queries through BLAS and
 * parallelises with OpenMP ({@link NativeFaiss#setThreads(int)}).
 *
 * <p>FAISS orders equal scores arbitrarily; this class re-ranks each query's hits by score, then
 * doc id, and widens the FAISS search when the k-th score is tied with the first one left out, so
 * that the result equals the Java implementation's even with ties.
 */
public final class FaissFlatIndex implements FlatExactIndex {
  /** Rows copied to FAISS per JNI call, to bound the transient copy JNI makes. */
  private static final int ADD_BATCH_ROWS = 8192;

  /** Queries per FAISS search call, to bound the result arrays. */
  private static final int SEARCH_BATCH_QUERIES = 256;

  private final FaissBinding.IndexFlatIP index;
  private final int[] docIds;
  private final int dimension;

  /**
   * Copies {@code vectors} into a new native index.
   *
   * @throws FaissUnavailableException if FAISS cannot be loaded
   */
  public FaissFlatIndex(VectorBlock vectors) {
    NativeFaiss.ensureLoaded();
    this.dimension = vectors.dimension();
    this.docIds = new int[vectors.size()];
    for (int i = 0; i < docIds.length; i++) {
      docIds[i] = vectors.docId(i);
    }
    this.index = new FaissBinding.IndexFlatIP(dimension);
    float[] data = vectors.data();
    for (int start = 0; start < docIds.length; start += ADD_BATCH_ROWS) {
      int rows = Math.min(ADD_BATCH_ROWS, docIds.length - start);
      index.add(rows, Arrays.copyOfRange(data, start * dimension, (start + rows) * dimension));
    }
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int size() {
    return docIds.length;
  }

  @Override
  public String name() {
    return "faiss";
  }

  @Override
  public ExactHits search(float[][] queries, int k) {
    FlatExactIndex.checkQueries(queries, k, dimension);
    if (index.isNull()) {
      throw new IllegalStateException("this FAISS index is closed");
    }
    int n = Math.min(k, docIds.length);
    int[][] ids = new int[queries.length][];
    float[][] scores = new float[queries.length][];
    for (int start = 0; start < queries.length; start += SEARCH_BATCH_QUERIES) {
      int count = Math.min(SEARCH_BATCH_QUERIES, queries.length - start);
      searchBatch(queries, start, count, n, ids, scores);
    }
    return new ExactHits(ids, scores);
  }

  private void searchBatch(
      float[][] queries, int start, int count, int n, int[][] ids, float[][] scores) {
    // One extra hit reveals a tie across the k-th position.
    int fetch = Math.min(n + 1, docIds.length);
    float[] batch = new float[count * dimension];
    for (int q = 0; q < count; q++) {
      System.arraycopy(queries[start + q], 0, batch, q * dimension, dimension);
    }
    float[] distances = new float[count * fetch];
    long[] labels = new long[count * fetch];
    index.search(count, batch, fetch, distances, labels);
    for (int q = 0; q < count; q++) {
      float[] qScores = Arrays.copyOfRange(distances, q * fetch, (q + 1) * fetch);
      long[] qLabels = Arrays.copyOfRange(labels, q * fetch, (q + 1) * fetch);
      int wider = fetch;
      while (wider < docIds.length && n > 0 && qScores[wider - 1] == qScores[n - 1]) {
        wider = (int) Math.min((long) wider * 2, docIds.length);
        qScores = new float[wider];
        qLabels = new long[wider];
        index.search(1, queries[start + q], wider, qScores, qLabels);
      }
      rank(qLabels, qScores, n, start + q, ids, scores);
    }
  }

  private void rank(long[] labels, float[] dist, int n, int query, int[][] ids, float[][] scores) {
    int[] docs = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      docs[i] = docIds[(int) labels[i]];
    }
    int[] top = RankedHits.topIndexes(docs, dist, n);
    ids[query] = new int[top.length];
    scores[query] = new float[top.length];
    for (int i = 0; i < top.length; i++) {
      ids[query][i] = docs[top[i]];
      scores[query][i] = dist[top[i]];
    }
  }

  @Override
  public void close() {
    index.close();
  }
}
