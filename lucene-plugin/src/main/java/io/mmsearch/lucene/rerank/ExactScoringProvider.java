package io.mmsearch.lucene.rerank;

/**
 * A service that contributes an exact-scoring implementation (an {@link ExactScorer} for re-ranking
 * and a {@link FlatExactIndex} for exhaustive search), discovered through {@link
 * java.util.ServiceLoader}. The pure-Java path is built in; the {@code mmsearch-faiss} module
 * contributes {@code faiss}, so a host that does not want native code simply leaves that module off
 * its classpath.
 *
 * <p>Implementations need a public no-argument constructor and must be thread-safe; the objects
 * they create follow the contracts of {@link ExactScorer} and {@link FlatExactIndex}.
 */
public interface ExactScoringProvider {

  /** The name users configure, lower case, e.g. {@code "faiss"}. */
  String name();

  /**
   * A new scorer; the caller closes it.
   *
   * @throws IllegalStateException if the implementation cannot run here (the message says why)
   */
  ExactScorer newScorer();

  /**
   * A new flat exact index holding its own copy of {@code vectors}; the caller closes it.
   *
   * @throws IllegalStateException if the implementation cannot run here (the message says why)
   */
  FlatExactIndex newFlatIndex(VectorBlock vectors);
}
