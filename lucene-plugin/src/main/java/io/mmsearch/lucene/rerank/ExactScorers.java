package io.mmsearch.lucene.rerank;

import java.util.Locale;

/**
 * Chooses the exact-scoring path: FAISS (native) or pure Java. The default comes from the ANN
 * benchmark ({@code ./mmsearch bench ann}, see {@code docs/benchmarks.md}); a host overrides it
 * with the system property {@value #KIND_PROPERTY} ({@code faiss} or {@code java}). When FAISS is
 * chosen and cannot load, creation fails with {@link FaissUnavailableException}: the Java path is
 * used only when configured, never as a silent fallback.
 */
public final class ExactScorers {

  /** System property naming the exact-scoring path: {@code faiss} or {@code java}. */
  public static final String KIND_PROPERTY = "mmsearch.rerank.scorer";

  /** The two implementations of exact scoring. */
  public enum Kind {
    /** FAISS through the JavaCPP binding. */
    FAISS,
    /** Lucene's {@code VectorUtil}. */
    JAVA;

    /** Parses {@code faiss} or {@code java}, case-insensitively. */
    public static Kind parse(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown exact scorer '" + name + "': expected 'faiss' or 'java'", e);
      }
    }
  }

  /**
   * The path used when nothing is configured: {@link Kind#JAVA}. Decided by the side-by-side
   * re-rank timing of {@code ./mmsearch bench ann} (docs/benchmarks.md, "ANN and exact re-rank"):
   * with the JDK's vector API enabled ({@code --add-modules jdk.incubator.vector}), Lucene's {@code
   * VectorUtil} scored 100 and 1,000 candidates of 256 dimensions 2-4x faster than FAISS, whose
   * Debian build has no SIMD single-query kernel and goes through OpenBLAS sgemm. FAISS stays
   * available on request and remains the flat ground truth, where its batched BLAS path wins.
   */
  public static final Kind DEFAULT_KIND = Kind.JAVA;

  private ExactScorers() {}

  /** The configured kind: {@value #KIND_PROPERTY} if set, else {@link #DEFAULT_KIND}. */
  public static Kind configuredKind() {
    String value = System.getProperty(KIND_PROPERTY);
    return value == null || value.isBlank() ? DEFAULT_KIND : Kind.parse(value);
  }

  /**
   * A scorer of the {@linkplain #configuredKind() configured kind}. Scorers are thread-safe; the
   * caller closes it (a no-op for both current implementations).
   *
   * @throws FaissUnavailableException if FAISS is configured and cannot load
   */
  public static ExactScorer defaultScorer() {
    return create(configuredKind());
  }

  /** A scorer of the given kind. */
  public static ExactScorer create(Kind kind) {
    return switch (kind) {
      case FAISS -> new FaissExactScorer();
      case JAVA -> new JavaExactScorer();
    };
  }

  /** A flat exact index of the given kind over {@code vectors}; the caller closes it. */
  public static FlatExactIndex flatIndex(Kind kind, VectorBlock vectors) {
    return switch (kind) {
      case FAISS -> FlatExactIndex.faiss(vectors);
      case JAVA -> FlatExactIndex.java(vectors);
    };
  }
}
