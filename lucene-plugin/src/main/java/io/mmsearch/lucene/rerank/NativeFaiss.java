package io.mmsearch.lucene.rerank;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * Loads the FAISS binding ({@link FaissBinding}) once per class loader and reports exactly why it
 * failed if it cannot. There is no silent fallback: a caller that wants the pure-Java path asks for
 * it ({@link ExactScorers.Kind#JAVA}).
 *
 * <p>Thread-safe. A failed load is remembered and every later call throws a new {@link
 * FaissUnavailableException} with the same explanation.
 */
public final class NativeFaiss {

  private static final Object LOCK = new Object();
  private static volatile boolean loaded;
  private static FaissUnavailableException failure;

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
      if (loaded) {
        return;
      }
      if (failure == null) {
        try {
          load(FaissBinding.class);
          loaded = true;
          return;
        } catch (FaissUnavailableException e) {
          failure = e;
        }
      }
      throw new FaissUnavailableException(failure.getMessage(), failure.getCause());
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
   * Sets how many OpenMP threads FAISS uses for batched searches in this process (FAISS's default
   * is one per core). Benchmarks set 1 to measure single-threaded throughput.
   */
  public static void setThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    ensureLoaded();
    FaissBinding.ompSetNumThreads(threads);
  }

  /** The number of OpenMP threads FAISS will use for its next batched call. */
  public static int threads() {
    ensureLoaded();
    return FaissBinding.ompGetMaxThreads();
  }

  /**
   * Loads the JNI library of a JavaCPP-annotated binding class, turning any linkage failure into a
   * {@link FaissUnavailableException} that says which library failed, on which platform, why, and
   * what to install. Package-private so that tests can drive it with a library that does not exist.
   */
  static void load(Class<?> binding) {
    String library = jniLibraryName(binding);
    try {
      Loader.load(binding);
    } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
      Throwable reason =
          e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
      throw new FaissUnavailableException(
          "Cannot load the FAISS native library '"
              + library
              + "' (JNI binding "
              + binding.getName()
              + ", platform "
              + Loader.getPlatform()
              + "): "
              + reason
              + ". The library is compiled by the lucene-plugin Maven build (JavaCPP) and links"
              + " FAISS statically and OpenBLAS, LAPACK and GNU OpenMP dynamically: install them"
              + " (Debian/Ubuntu: apt-get install g++ libfaiss-dev libopenblas-dev liblapack-dev"
              + " libgomp1), rebuild, or configure the pure-Java exact scorer"
              + " (-D"
              + ExactScorers.KIND_PROPERTY
              + "=java).",
          e);
    }
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
