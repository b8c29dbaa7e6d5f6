package io.mmsearch.lucene.rerank;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Chooses the exact-scoring implementation by name: {@value #JAVA} (built in, Lucene's {@code
 * VectorUtil}) or one contributed by an {@link ExactScoringProvider} on the classpath ({@code
 * faiss} from the {@code mmsearch-faiss} module). The default comes from the ANN benchmark ({@code
 * ./mmsearch bench ann --scorer-timings}, see {@code docs/benchmarks.md}); a host overrides it with
 * the system property {@value #KIND_PROPERTY}. A configured implementation that is missing or
 * cannot load fails with a message saying why: the Java path is used only when configured, never as
 * a silent fallback.
 */
public final class ExactScorers {

  /**
   * System property naming the exact-scoring implementation, e.g. {@code faiss} or {@code java}.
   */
  public static final String KIND_PROPERTY = "mmsearch.rerank.scorer";

  /** The built-in implementation's name. */
  public static final String JAVA = "java";

  /**
   * The implementation used when nothing is configured: {@value #JAVA}. Decided by measurement,
   * {@code ./mmsearch bench ann --scorer-timings} (docs/benchmarks.md, "Exact re-rank, FAISS vs
   * Java"): with the JDK's vector API, Lucene's {@code VectorUtil} scored 100 and 1,000 candidates
   * of 256 dimensions 2-4x faster than FAISS, whose Debian build has no SIMD single-query kernel
   * and goes through OpenBLAS sgemm. FAISS stays available on request and remains the flat ground
   * truth, where its batched BLAS path wins.
   */
  public static final String DEFAULT_KIND = JAVA;

  private ExactScorers() {}

  /** The configured name: {@value #KIND_PROPERTY} if set, else {@link #DEFAULT_KIND}. */
  public static String configuredKind() {
    String value = System.getProperty(KIND_PROPERTY);
    return value == null || value.isBlank() ? DEFAULT_KIND : normalise(value);
  }

  /** The names that can be configured here: {@value #JAVA} plus every provider on the classpath. */
  public static List<String> available() {
    List<String> names = new ArrayList<>();
    names.add(JAVA);
    for (ExactScoringProvider provider : ServiceLoader.load(ExactScoringProvider.class)) {
      names.add(provider.name());
    }
    return List.copyOf(names);
  }

  /**
   * A scorer of the {@linkplain #configuredKind() configured kind}. Scorers are thread-safe; the
   * caller closes it.
   *
   * @throws IllegalArgumentException if no implementation of that name is on the classpath
   * @throws IllegalStateException if it is present but cannot run here (e.g. FAISS cannot load)
   */
  public static ExactScorer defaultScorer() {
    return create(configuredKind());
  }

  /** A scorer of the given kind; see {@link #defaultScorer()} for the failures. */
  public static ExactScorer create(String kind) {
    String name = normalise(kind);
    return JAVA.equals(name) ? new JavaExactScorer() : provider(name).newScorer();
  }

  /** A flat exact index of the given kind over {@code vectors}; the caller closes it. */
  public static FlatExactIndex flatIndex(String kind, VectorBlock vectors) {
    String name = normalise(kind);
    return JAVA.equals(name) ? FlatExactIndex.java(vectors) : provider(name).newFlatIndex(vectors);
  }

  private static ExactScoringProvider provider(String name) {
    for (ExactScoringProvider provider : ServiceLoader.load(ExactScoringProvider.class)) {
      if (provider.name().equals(name)) {
        return provider;
      }
    }
    throw new IllegalArgumentException(
        "unknown exact scorer '"
            + name
            + "': available here are "
            + available()
            + ("faiss".equals(name)
                ? " (FAISS comes from the io.mmsearch:mmsearch-faiss module; add it to the classpath)"
                : ""));
  }

  private static String normalise(String name) {
    return name.trim().toLowerCase(Locale.ROOT);
  }
}
