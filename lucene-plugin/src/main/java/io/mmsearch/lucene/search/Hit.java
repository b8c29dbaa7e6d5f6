package io.mmsearch.lucene.search;

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
 */
public record Hit(
    String id,
    String uri,
    String caption,
    String className,
    float score,
    int docId,
    HitExplanation explanation) {}
