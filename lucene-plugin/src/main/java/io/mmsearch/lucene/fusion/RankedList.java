package io.mmsearch.lucene.fusion;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * An immutable list of (doc id, score) in rank order: score descending, ties broken by doc id
 * ascending, each doc at most once. Ranks are 1-based.
 */
public final class RankedList {
  private static final RankedList EMPTY = new RankedList(new int[0], new float[0]);

  private final int[] docs;
  private final float[] scores;

  private RankedList(int[] docs, float[] scores) {
    this.docs = docs;
    this.scores = scores;
  }

  /** The empty list. */
  public static RankedList empty() {
    return EMPTY;
  }

  /**
   * Sorts the given pairs into rank order.
   *
   * @throws IllegalArgumentException if the arrays differ in length, a doc repeats, or a score is
   *     NaN
   */
  public static RankedList of(int[] docs, float[] scores) {
    if (docs.length != scores.length) {
      throw new IllegalArgumentException(docs.length + " docs but " + scores.length + " scores");
    }
    Integer[] order = IntStream.range(0, docs.length).boxed().toArray(Integer[]::new);
    for (float s : scores) {
      if (Float.isNaN(s)) {
        throw new IllegalArgumentException("NaN score");
      }
    }
    Arrays.sort(
        order, Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> docs[i]));
    int[] sortedDocs = new int[docs.length];
    float[] sortedScores = new float[docs.length];
    for (int r = 0; r < order.length; r++) {
      sortedDocs[r] = docs[order[r]];
      sortedScores[r] = scores[order[r]];
    }
    if (Arrays.stream(docs).distinct().count() != docs.length) {
      throw new IllegalArgumentException("a doc appears more than once");
    }
    return new RankedList(sortedDocs, sortedScores);
  }

  public int size() {
    return docs.length;
  }

  /** Doc id at 0-based position {@code i}, i.e. rank {@code i + 1}. */
  public int doc(int i) {
    return docs[i];
  }

  /** Score at 0-based position {@code i}. */
  public float score(int i) {
    return scores[i];
  }

  /** The first {@code n} entries (or all, if fewer). */
  public RankedList top(int n) {
    if (n >= docs.length) {
      return this;
    }
    return new RankedList(Arrays.copyOf(docs, n), Arrays.copyOf(scores, n));
  }

  /** 0-based position of {@code doc}, or -1 if absent. Linear time. */
  public int positionOf(int doc) {
    for (int i = 0; i < docs.length; i++) {
      if (docs[i] == doc) {
        return i;
      }
    }
    return -1;
  }

  /** A copy of the doc ids in rank order. */
  public int[] docs() {
    return docs.clone();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < docs.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(docs[i]).append('=').append(scores[i]);
    }
    return sb.append(']').toString();
  }
}
