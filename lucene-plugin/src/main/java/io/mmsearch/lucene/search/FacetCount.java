package io.mmsearch.lucene.search;

/**
 * The number of matched documents with a given facet value.
 *
 * @param value the facet value, e.g. a class label
 * @param count how many matched documents carry it
 */
public record FacetCount(String value, int count) {}
