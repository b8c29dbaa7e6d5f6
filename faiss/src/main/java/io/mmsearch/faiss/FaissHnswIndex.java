package io.mmsearch.faiss;

import java.util.Arrays;

/**
 * FAISS's {@code IndexHNSWFlat} over inner products (raw float32 vectors in native memory plus the
 * HNSW graph), the approximate peer of Lucene's HNSW in {@code mmsearch bench ann}. Same graph
 * parameters as Lucene's: M neighbours per node on the upper levels and 2M on level 0, and the
 * construction beam {@code efConstruction}.
 *
 * <p>Not thread-safe while {@link #add adding}; after that, {@link #search} may run from any number
 * of threads at once as long as they all use the same efSearch: FAISS 1.7.3 sizes its search heap
 * from the index's own efSearch (a per-call value above it has no effect), so a search with a new
 * efSearch sets the index's. Owns native memory: {@link #close()} frees it and must not run
 * concurrently with anything else.
 */
public final class FaissHnswIndex implements AutoCloseable {
  /** Rows copied to FAISS per JNI call, to bound the transient copy JNI makes. */
  private static final int ADD_BATCH_ROWS = 16384;

  private final int dimension;
  private final int m;
  private final int efConstruction;
  private FaissBinding.IndexHNSWFlat index;
  private volatile int currentEfSearch = -1;

  /**
   * An empty index.
   *
   * @param dimension floats per vector
   * @param m HNSW M (FAISS and Lucene agree on its meaning)
   * @param efConstruction beam width while building (Lucene's {@code beamWidth})
   * @throws FaissUnavailableException if FAISS cannot be loaded
   */
  public FaissHnswIndex(int dimension, int m, int efConstruction) {
    if (dimension < 1 || m < 2 || efConstruction < 1) {
      throw new IllegalArgumentException(
          "need dimension >= 1, m >= 2, efConstruction >= 1; got "
              + dimension
              + ", "
              + m
              + ", "
              + efConstruction);
    }
    NativeFaiss.ensureLoaded();
    this.dimension = dimension;
    this.m = m;
    this.efConstruction = efConstruction;
    this.index = FaissBinding.hnsw_flat_ip_new(dimension, m, efConstruction);
  }

  /**
   * Adds {@code count} vectors, row-major from {@code vectors[0]}; they get the next ids. FAISS
   * builds with its OpenMP threads ({@link NativeFaiss#setThreads}).
   */
  public void add(float[] vectors, int count) {
    if ((long) count * dimension > vectors.length) {
      throw new IllegalArgumentException(
          count + " vectors of " + dimension + " floats need more than " + vectors.length);
    }
    checkOpen();
    for (int start = 0; start < count; start += ADD_BATCH_ROWS) {
      int rows = Math.min(ADD_BATCH_ROWS, count - start);
      FaissBinding.hnsw_flat_add(
          index, rows, Arrays.copyOfRange(vectors, start * dimension, (start + rows) * dimension));
    }
  }

  /**
   * The approximate top {@code k} ids of each query, best first; fewer than {@code k} (padded with
   * -1) if the graph search found fewer.
   *
   * @param queries {@code n} queries of {@link #dimension()} floats, row-major
   * @param efSearch the search beam, at least {@code k}; all concurrent searches must use the same
   * @return {@code n * k} ids (row ids in add order)
   */
  public long[] search(float[] queries, int n, int k, int efSearch) {
    if (k < 1 || efSearch < k || queries.length != n * dimension) {
      throw new IllegalArgumentException(
          "need k >= 1, efSearch >= k and n * dimension query floats; got k="
              + k
              + ", efSearch="
              + efSearch
              + ", "
              + queries.length
              + " floats for "
              + n
              + " queries");
    }
    checkOpen();
    if (efSearch != currentEfSearch) {
      FaissBinding.hnsw_flat_set_ef_search(index, efSearch);
      currentEfSearch = efSearch;
    }
    float[] distances = new float[n * k];
    long[] labels = new long[n * k];
    FaissBinding.hnsw_flat_search(index, n, queries, k, efSearch, distances, labels);
    return labels;
  }

  public int dimension() {
    return dimension;
  }

  public int m() {
    return m;
  }

  public int efConstruction() {
    return efConstruction;
  }

  /** Vectors added so far. */
  public long size() {
    checkOpen();
    return FaissBinding.hnsw_flat_ntotal(index);
  }

  /** Bytes of the stored float32 vectors. */
  public long vectorBytes() {
    return size() * dimension * Float.BYTES;
  }

  /** Bytes of the graph: FAISS's fixed-size neighbour slots, their offsets and node levels. */
  public long graphBytes() {
    checkOpen();
    return FaissBinding.hnsw_graph_bytes(index);
  }

  private void checkOpen() {
    if (index == null) {
      throw new IllegalStateException("this FAISS HNSW index is closed");
    }
  }

  @Override
  public void close() {
    if (index != null) {
      FaissBinding.hnsw_flat_delete(index);
      index = null;
    }
  }
}
