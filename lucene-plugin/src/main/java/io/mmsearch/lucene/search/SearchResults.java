package io.mmsearch.lucene.search;

import io.mmsearch.semantics.recall.RecallEstimate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of results.
 *
 * @param hits the requested page ({@code from}, {@code size}), in rank order
 * @param totalMatches size of the matched set: the filtered keyword matches united with the kNN
 *     candidates (see {@link MultimodalSearcher} for its exact definition)
 * @param classCounts counts of the {@code class} facet, by count descending then value, computed
 *     drill-sideways: without chosen classes, over the matched set; with chosen classes, a chosen
 *     class is counted over the matched set (with one chosen class its count is {@code
 *     totalMatches}) and every other class as the same request without the class filter would count
 *     it, so one response lets a user switch classes. Empty if facets were not requested.
 * @param rankedCount how many hits the full ranked list had before pagination
 * @param recall for a request with a vector part: how many candidates the kNN search fetched, for
 *     which target, and the recall@window the index's calibration expects of them
 */
public record SearchResults(
    List<Hit> hits,
    long totalMatches,
    List<FacetCount> classCounts,
    int rankedCount,
    Optional<RecallEstimate> recall) {

  public SearchResults {
    hits = List.copyOf(hits);
    classCounts = List.copyOf(classCounts);
    Objects.requireNonNull(recall, "recall");
  }
}
