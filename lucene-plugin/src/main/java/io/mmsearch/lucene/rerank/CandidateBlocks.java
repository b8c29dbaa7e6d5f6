package io.mmsearch.lucene.rerank;

import java.util.Objects;

/** Argument checks shared by the exact scorers: native code must never read past an array. */
public final class CandidateBlocks {
  private CandidateBlocks() {}

  /** Refuses arguments that would let native code read past an array. */
  public static void check(float[] query, float[] candidates, int count) {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(candidates, "candidates");
    if (query.length == 0) {
      throw new IllegalArgumentException("query vector is empty");
    }
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    if ((long) count * query.length > candidates.length) {
      throw new IllegalArgumentException(
          "candidates hold "
              + candidates.length
              + " floats, fewer than count ("
              + count
              + ") x query dimension ("
              + query.length
              + ")");
    }
  }
}
