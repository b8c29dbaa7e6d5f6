package io.mmsearch.lucene.fusion;

import java.util.List;

/** Combines several ranked lists of the same documents into one. Implementations are immutable. */
public interface ScoreFusion {

  /**
   * Fuses the lists. A document absent from a list contributes nothing for that list.
   *
   * @param lists the input lists; the i-th list gets the i-th weight of this fusion
   * @return all documents of all lists, in fused rank order (ties by doc id ascending)
   * @throws IllegalArgumentException if the number of lists differs from the number of weights
   */
  RankedList fuse(List<RankedList> lists);
}
