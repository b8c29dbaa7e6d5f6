package io.mmsearch.lucene.search;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;

/**
 * The documents a request matched, counted for {@link SearchResults#totalMatches()} and the class
 * facet. What "matched" means depends on the request's parts:
 *
 * <ul>
 *   <li>keywords only: every document the keywords match, after the filters;
 *   <li>a vector part only: the kNN candidates, which pass the filters already (a vector query has
 *       no natural cut-off; the candidates are exactly the documents it considered);
 *   <li>both: the union of the two.
 * </ul>
 *
 * Class counts are drill-sideways (see {@link ClassFacets}). Stateless.
 */
final class MatchedSet {
  private MatchedSet() {}

  /** The total and the class counts (empty if not asked for or the index has no facets). */
  record Counts(long total, List<FacetCount> classes) {}

  /**
   * @param queries the request's queries
   * @param candidates the kNN candidates with every filter, if the request has a vector part
   * @param candidatesOfAnyClass the kNN candidates without the class filter, computed only when the
   *     request chooses classes and has a vector part (for the sideways counts)
   */
  static Counts count(
      IndexSearcher searcher,
      SearchRequest request,
      SortedSetDocValuesReaderState facets,
      RequestQueries queries,
      Optional<Query> candidates,
      CandidateSource candidatesOfAnyClass)
      throws IOException {
    Optional<Query> matched = RequestQueries.anyOf(queries.keywordMatches(), candidates);
    if (matched.isEmpty()) {
      return new Counts(0, List.of());
    }
    if (!request.facets() || facets == null) {
      return new Counts(searcher.count(matched.get()), List.of());
    }
    Query base =
        queries.classFilter().isEmpty()
            ? matched.get()
            : sidewaysBase(queries, candidates, candidatesOfAnyClass);
    ClassFacets.Counts counts = ClassFacets.count(searcher, facets, base, request.classes());
    return new Counts(counts.total(), counts.classes());
  }

  /** Computes the kNN candidates without the class filter, when the sideways counts need them. */
  @FunctionalInterface
  interface CandidateSource {
    Optional<Query> get() throws IOException;
  }

  /**
   * The matched set as if no class were chosen, minus what the chosen classes would add without
   * their filter: the keyword matches and the kNN candidates of every other class, plus this
   * request's own candidates. Its drill-down to the chosen classes is exactly the request's matched
   * set; its sideways counts give every other class the count of the same request without the class
   * filter.
   */
  private static Query sidewaysBase(
      RequestQueries queries, Optional<Query> candidates, CandidateSource candidatesOfAnyClass)
      throws IOException {
    Optional<Query> otherClasses =
        candidatesOfAnyClass
            .get()
            .map(
                unfiltered ->
                    new BooleanQuery.Builder()
                        .add(unfiltered, Occur.MUST)
                        .add(queries.classFilter().get(), Occur.MUST_NOT)
                        .build());
    return RequestQueries.anyOf(queries.keywordMatchesOfAnyClass(), candidates, otherClasses)
        .orElseThrow();
  }
}
