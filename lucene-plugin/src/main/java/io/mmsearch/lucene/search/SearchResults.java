package io.mmsearch.lucene.search;

import java.util.List;

/**
 * One page of results.
 *
 * @param hits the requested page ({@code from}, {@code size}), in rank order
 * @param totalMatches size of the matched set: the filtered keyword matches united with the kNN
 *     candidates (see {@link MultimodalSearcher} for its exact definition)
 * @param classCounts counts of the {@code class} facet over the matched set, by count descending
 *     then value; empty if facets were not requested
 * @param rankedCount how many hits the full ranked list had before pagination
 */
public record SearchResults(
    List<Hit> hits, long totalMatches, List<FacetCount> classCounts, int rankedCount) {

  public SearchResults {
    hits = List.copyOf(hits);
    classCounts = List.copyOf(classCounts);
  }
}
