package io.mmsearch.lucene.search;

import java.util.List;

/**
 * One search result.
 *
 * @param id the document's unique id
 * @param uri stored uri, or null
 * @param caption stored caption, or null
 * @param className stored class, or null
 * @param score the score the result list is ordered by (see {@link HitExplanation#fusedScore()})
 * @param docId Lucene doc id, valid only for the searcher that produced it
 * @param explanation how the score came about
 * @param duplicates the ids of the near-duplicates collapsed into this hit, in rank order (empty
 *     unless the request collapses near-duplicates)
 */
public record Hit(
    String id,
    String uri,
    String caption,
    String className,
    float score,
    int docId,
    HitExplanation explanation,
    List<String> duplicates) {

  public Hit {
    duplicates = List.copyOf(duplicates);
  }
}
