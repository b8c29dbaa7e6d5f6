package io.mmsearch.lucene.rerank;

import java.util.Arrays;

/**
 * The best {@code k} of a stream of (doc id, score) pairs in the project's one ranking order: score
 * descending, then doc id ascending. Every exact path (FAISS, Java, re-rank) ranks through this
 * class so that equal scores order the same way everywhere. Not thread-safe; one per query.
 */
public final class RankedHits {
  private final int k;
  // A binary heap whose root is the worst kept hit.
  private final int[] docs;
  private final float[] scores;
  private int size;

  RankedHits(int k) {
    if (k < 0) {
      throw new IllegalArgumentException("k must be >= 0, got " + k);
    }
    this.k = k;
    this.docs = new int[k];
    this.scores = new float[k];
  }

  /** Whether hit (doc a, score sa) ranks before hit (doc b, score sb). */
  public static boolean ranksBefore(float sa, int a, float sb, int b) {
    return sa > sb || (sa == sb && a < b);
  }

  void offer(int doc, float score) {
    if (size < k) {
      docs[size] = doc;
      scores[size] = score;
      up(size++);
    } else if (k > 0 && ranksBefore(score, doc, scores[0], docs[0])) {
      docs[0] = doc;
      scores[0] = score;
      down(0);
    }
  }

  /** The kept hits, best first, into {@code outDocs}/{@code outScores}; empties this collector. */
  int drainInto(int[] outDocs, float[] outScores) {
    int n = size;
    for (int i = n - 1; i >= 0; i--) {
      outDocs[i] = docs[0];
      outScores[i] = scores[0];
      size--;
      if (size > 0) {
        docs[0] = docs[size];
        scores[0] = scores[size];
        down(0);
      }
    }
    return n;
  }

  /** Ranks all pairs and returns the indexes of the best {@code k}, best first. */
  public static int[] topIndexes(int[] docs, float[] scores, int k) {
    Integer[] order = new Integer[docs.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(
        order,
        (a, b) ->
            ranksBefore(scores[a], docs[a], scores[b], docs[b])
                ? -1
                : ranksBefore(scores[b], docs[b], scores[a], docs[a]) ? 1 : 0);
    int n = Math.min(k, docs.length);
    int[] top = new int[n];
    for (int i = 0; i < n; i++) {
      top[i] = order[i];
    }
    return top;
  }

  private boolean worse(int i, int j) {
    return ranksBefore(scores[j], docs[j], scores[i], docs[i]);
  }

  private void up(int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(i, parent)) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void down(int i) {
    while (true) {
      int l = 2 * i + 1;
      if (l >= size) {
        return;
      }
      int w = l + 1 < size && worse(l + 1, l) ? l + 1 : l;
      if (!worse(w, i)) {
        return;
      }
      swap(i, w);
      i = w;
    }
  }

  private void swap(int i, int j) {
    int d = docs[i];
    docs[i] = docs[j];
    docs[j] = d;
    float s = scores[i];
    scores[i] = scores[j];
    scores[j] = s;
  }
}
