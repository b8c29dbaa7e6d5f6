package io.mmsearch.faiss;

import io.mmsearch.lucene.rerank.ExactScorer;
import io.mmsearch.lucene.rerank.ExactScoringProvider;
import io.mmsearch.lucene.rerank.FlatExactIndex;
import io.mmsearch.lucene.rerank.VectorBlock;

/**
 * Contributes {@code faiss} to {@link io.mmsearch.lucene.rerank.ExactScorers}: {@link
 * FaissExactScorer} and {@link FaissFlatIndex}. Registered in {@code META-INF/services}; creating
 * either loads the native library and throws {@link FaissUnavailableException} if it cannot.
 */
public final class FaissScoringProvider implements ExactScoringProvider {

  @Override
  public String name() {
    return "faiss";
  }

  @Override
  public ExactScorer newScorer() {
    return new FaissExactScorer();
  }

  @Override
  public FlatExactIndex newFlatIndex(VectorBlock vectors) {
    return new FaissFlatIndex(vectors);
  }
}
