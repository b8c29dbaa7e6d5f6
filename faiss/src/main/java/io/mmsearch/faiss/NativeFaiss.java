package io.mmsearch.faiss;

import io.mmsearch.lucene.rerank.ExactScorers;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * Loads the FAISS binding ({@link FaissBinding}) once per class loader and reports exactly why it
 * failed if it cannot. There is no silent fallback: a caller that wants the pure-Java path asks for
 * it (the {@value ExactScorers#JAVA} exact scorer).
 *
 * <p>Thread-safe. A failed load is remembered and every later call throws a new {@link
 * FaissUnavailableException} with the same explanation.
 */
public final class NativeFaiss {

  private static final Object LOCK = new Object();
  private static final Map<Class<?>, FaissUnavailableException> FAILURES =
      new ConcurrentHashMap<>();
  private static volatile boolean loaded;

  private NativeFaiss() {}

  /**
   * Loads the native FAISS binding if not yet loaded.
   *
   * @throws FaissUnavailableException if the JNI library or one of the shared libraries it links
   *     (OpenBLAS, LAPACK, GNU OpenMP) cannot be loaded
   */
  public static void ensureLoaded() {
    if (loaded) {
      return;
    }
    synchronized (LOCK) {
      if (!loaded) {
        load(FaissBinding.class);
        // Debian's generic FAISS build has scalar single-vector kernels; its BLAS path is the
        // fast one even for a single query (see FaissExactScorer).
        FaissBinding.distance_compute_blas_threshold(1);
        loaded = true;
      }
    }
  }

  /** Whether {@link #ensureLoaded()} succeeds; never throws. */
  public static boolean isAvailable() {
    try {
      ensureLoaded();
      return true;
    } catch (FaissUnavailableException e) {
      return false;
    }
  }

  /**
   * Sets how many threads FAISS uses in this process: OpenMP threads (FAISS's own loops) and
   * OpenBLAS threads (its sgemm). Both default to one per core. Benchmarks set 1 to measure
   * single-threaded throughput. Process-wide.
   */
  public static void setThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    ensureLoaded();
    FaissBinding.ompSetNumThreads(threads);
    FaissBinding.openblasSetNumThreads(threads);
  }

  /** FAISS's own default query count from which inner-product search goes through BLAS. */
  public static final int FAISS_DEFAULT_BLAS_THRESHOLD = 20;

  /**
   * Sets how many queries one FAISS search call needs before it goes through BLAS (sgemm) instead
   * of its per-vector kernels. Loading sets 1 (see {@link FaissExactScorer}); FAISS ships {@value
   * #FAISS_DEFAULT_BLAS_THRESHOLD}, which is faster for single-query flat search over many vectors
   * (sgemm packs the whole block on every call). Process-wide; not for use while searches run.
   */
  public static void setBlasThreshold(int queries) {
    if (queries < 1) {
      throw new IllegalArgumentException("threshold must be >= 1, got " + queries);
    }
    ensureLoaded();
    FaissBinding.distance_compute_blas_threshold(queries);
  }

  /** The current BLAS threshold; see {@link #setBlasThreshold}. */
  public static int blasThreshold() {
    ensureLoaded();
    return FaissBinding.distance_compute_blas_threshold();
  }

  /** The larger of the OpenMP and OpenBLAS thread counts FAISS will use. */
  public static int threads() {
    ensureLoaded();
    return Math.max(FaissBinding.ompGetMaxThreads(), FaissBinding.openblasGetNumThreads());
  }

  /**
   * Loads the JNI library of a JavaCPP-annotated binding class, turning any linkage failure into a
   * {@link FaissUnavailableException} that says which library failed, on which platform, why, and
   * what to install. Package-private so that tests can drive it with a library that does not exist.
   */
  static void load(Class<?> binding) {
    // JavaCPP remembers a failed load and returns null on the next attempt, without the reason:
    // keep the first explanation and repeat it.
    FaissUnavailableException earlier = FAILURES.get(binding);
    if (earlier != null) {
      throw new FaissUnavailableException(earlier.getMessage(), earlier.getCause());
    }
    Throwable reason;
    try {
      if (Loader.load(binding) != null) {
        return;
      }
      reason = new UnsatisfiedLinkError("JavaCPP did not load the library and gave no reason");
    } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
      reason = e;
    }
    Throwable shown =
        reason instanceof ExceptionInInitializerError && reason.getCause() != null
            ? reason.getCause()
            : reason;
    FaissUnavailableException failure =
        new FaissUnavailableException(
            "Cannot load the FAISS native library '"
                + jniLibraryName(binding)
                + "' (JNI binding "
                + binding.getName()
                + ", platform "
                + Loader.getPlatform()
                + "): "
                + shown
                + ". The library is compiled by the mmsearch-faiss Maven build (JavaCPP) and links"
                + " FAISS statically and OpenBLAS, LAPACK and GNU OpenMP dynamically: install them"
                + " (Debian/Ubuntu: apt-get install g++ libfaiss-dev libopenblas-dev liblapack-dev"
                + " libgomp1), rebuild, or configure the pure-Java exact scorer"
                + " (-D"
                + ExactScorers.KIND_PROPERTY
                + "=java).",
            reason);
    FAILURES.putIfAbsent(binding, failure);
    throw failure;
  }

  /**
   * The JNI library JavaCPP generates for a binding: {@code @Platform(library)} or "jni" + name.
   */
  static String jniLibraryName(Class<?> binding) {
    Platform platform = binding.getAnnotation(Platform.class);
    if (platform != null && !platform.library().isEmpty()) {
      return platform.library();
    }
    return "jni" + binding.getSimpleName();
  }
}
