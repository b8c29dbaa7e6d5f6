package io.mmsearch.tools.eval;

import java.util.Locale;

/** How the index is searched; the lower-case name is the {@code mode} field of a result line. */
public enum EvalMode {
  /** kNN over the image vectors only. */
  VECTOR,
  /** BM25 over caption and keywords only. */
  BM25,
  /** Reciprocal rank fusion of the vector and BM25 rankings. */
  RRF,
  /** Linear fusion of min-max normalised vector and BM25 scores. */
  LINEAR,
  /**
   * kNN over the caption vectors: the query's text vector against each document's caption encoded
   * by the same text tower (text to text in the joint space). Needs caption vectors in the index.
   */
  CAPTION,
  /**
   * The image vectors and the caption vectors as two targets of one request, joined by reciprocal
   * rank fusion ({@code TargetJoin.Rrf}).
   */
  VECTOR_CAPTION,
  /**
   * The image vectors and the caption vectors as two targets of one request, joined by the weighted
   * mean of their similarities ({@code TargetJoin.Mean}); weights from {@code --target-weights}.
   */
  BOTH,
  /** RRF of BM25 and the caption-vector list. */
  RRF_CAPTION,
  /** RRF of BM25 and the joined image-and-caption vector list ({@link #BOTH}). */
  RRF_BOTH;

  /** The name used in JSON lines, on the command line and on the chart. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this mode needs query words (BM25 has nothing to match for a bare image query). */
  public boolean needsWords() {
    return this == BM25 || this == RRF || this == LINEAR || this == RRF_CAPTION || this == RRF_BOTH;
  }

  /** Whether this mode searches caption vectors (text queries, an index with caption vectors). */
  public boolean needsCaptionVectors() {
    return this == CAPTION
        || this == VECTOR_CAPTION
        || this == BOTH
        || this == RRF_CAPTION
        || this == RRF_BOTH;
  }
}
