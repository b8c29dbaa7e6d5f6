package io.mmsearch.faiss;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.Const;
import org.bytedeco.javacpp.annotation.CriticalRegion;
import org.bytedeco.javacpp.annotation.MemberGetter;
import org.bytedeco.javacpp.annotation.MemberSetter;
import org.bytedeco.javacpp.annotation.Name;
import org.bytedeco.javacpp.annotation.Namespace;
import org.bytedeco.javacpp.annotation.Opaque;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The hand-written JavaCPP binding to the parts of FAISS this project uses. The JavaCPP Maven
 * plugin compiles it during the build ({@code process-classes}) into a JNI shared object that links
 * Debian's static {@code libfaiss.a} and, dynamically, OpenBLAS, LAPACK and GNU OpenMP; the shared
 * object is packed under {@code io/mmsearch/lucene/rerank/<platform>/} next to this class.
 *
 * <p>Low level: it does not load itself and does not validate arguments (FAISS reads and writes
 * through raw pointers). Use {@link FaissExactScorer} and {@link FaissFlatIndex}, which call {@link
 * NativeFaiss#ensureLoaded()} and check every length first.
 */
// JavaCPP passes the link list to the linker in reverse order. The static libfaiss.a must come
// first on the command line so that its references to BLAS/LAPACK/OpenMP pull in the shared
// libraries after it (with --as-needed they would otherwise be dropped as unused).
@Platform(
    include = "mmsearch_faiss.h",
    link = {"gomp", "lapack", "openblas", "faiss"})
public final class FaissBinding {

  private FaissBinding() {}

  /**
   * {@code ip[i] = <x, y_i>} for {@code ny} contiguous vectors {@code y_i} of {@code d} floats. The
   * arrays are pinned, not copied: the call is short and must not be interrupted by a GC anyway.
   */
  @Namespace("faiss")
  @CriticalRegion
  static native void fvec_inner_products_ny(
      float[] ip,
      @Const float[] x,
      @Const float[] y,
      @Cast("size_t") long d,
      @Cast("size_t") long ny);

  /**
   * Exact top-{@code k} inner products of {@code nx} queries against {@code ny} vectors, best first
   * per query; uses BLAS (sgemm) when {@code nx >= distance_compute_blas_threshold}.
   */
  @Namespace("faiss")
  @CriticalRegion
  static native void knn_inner_product(
      @Const float[] x,
      @Const float[] y,
      @Cast("size_t") long d,
      @Cast("size_t") long nx,
      @Cast("size_t") long ny,
      @Cast("size_t") long k,
      float[] distances,
      @Cast("int64_t*") long[] indexes);

  /** FAISS's global query-count threshold above which inner products go through BLAS. */
  @Namespace("faiss")
  @MemberGetter
  static native int distance_compute_blas_threshold();

  @Namespace("faiss")
  @MemberSetter
  static native void distance_compute_blas_threshold(int queries);

  /** Sets the number of OpenBLAS threads (sgemm inside FAISS's batched searches). */
  @Name("openblas_set_num_threads")
  static native void openblasSetNumThreads(int threads);

  @Name("openblas_get_num_threads")
  static native int openblasGetNumThreads();

  /** Sets the number of OpenMP threads FAISS uses for batched work in this process. */
  @Name("omp_set_num_threads")
  static native void ompSetNumThreads(int threads);

  /** The number of OpenMP threads FAISS will use. */
  @Name("omp_get_max_threads")
  static native int ompGetMaxThreads();

  /**
   * {@code faiss::IndexFlatIP}: exact inner-product search over vectors copied into native memory.
   * Closing it (or its {@link Pointer#deallocate() deallocation}) runs the C++ destructor.
   */
  @Namespace("faiss")
  @Name("IndexFlatIP")
  static final class IndexFlatIP extends Pointer {
    IndexFlatIP(long dimension) {
      allocate(dimension);
    }

    private native void allocate(@Cast("faiss::Index::idx_t") long d);

    /** Appends {@code n} vectors (copied by FAISS). */
    native void add(@Cast("faiss::Index::idx_t") long n, @Const float[] x);

    /** The {@code k} best inner products of each of {@code n} queries, best first. */
    native void search(
        @Cast("faiss::Index::idx_t") long n,
        @Const float[] x,
        @Cast("faiss::Index::idx_t") long k,
        float[] distances,
        @Cast("faiss::Index::idx_t*") long[] labels);

    @MemberGetter
    @Cast("long")
    native long ntotal();

    @MemberGetter
    native int d();
  }

  /**
   * An opaque {@code faiss::IndexHNSWFlat} over inner products, created by {@link
   * #hnsw_flat_ip_new} and freed only by {@link #hnsw_flat_delete} (never by JavaCPP's deallocator,
   * which does not know the C++ type's destructor here).
   */
  @Name("faiss::IndexHNSWFlat")
  @Opaque
  static final class IndexHNSWFlat extends Pointer {
    IndexHNSWFlat() {}
  }

  /** A new HNSW index over inner products with M and efConstruction set; add vectors next. */
  @Namespace("mmsearch")
  static native IndexHNSWFlat hnsw_flat_ip_new(int d, int m, int efConstruction);

  @Namespace("mmsearch")
  static native void hnsw_flat_delete(IndexHNSWFlat index);

  /** Appends {@code n} vectors (copied); FAISS builds the graph with its OpenMP threads. */
  @Namespace("mmsearch")
  static native void hnsw_flat_add(IndexHNSWFlat index, long n, @Const float[] x);

  /**
   * The {@code k} best inner products of each of {@code n} queries with the given efSearch, passed
   * per call ({@code SearchParametersHNSW}) so that concurrent searches share no mutable state.
   */
  @Namespace("mmsearch")
  static native void hnsw_flat_search(
      @Const IndexHNSWFlat index,
      long n,
      @Const float[] x,
      long k,
      int efSearch,
      float[] distances,
      @Cast("int64_t*") long[] labels);

  /** Sets the index's own efSearch (FAISS 1.7.3 sizes its search heap from it). */
  @Namespace("mmsearch")
  static native void hnsw_flat_set_ef_search(IndexHNSWFlat index, int efSearch);

  @Namespace("mmsearch")
  static native long hnsw_flat_ntotal(@Const IndexHNSWFlat index);

  /** Bytes of the graph: neighbour slots, their offsets and the node levels. */
  @Namespace("mmsearch")
  static native long hnsw_graph_bytes(@Const IndexHNSWFlat index);
}
