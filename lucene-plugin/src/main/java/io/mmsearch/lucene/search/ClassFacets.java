package io.mmsearch.lucene.search;

import io.mmsearch.lucene.schema.ImageSchema;
import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.lucene.facet.DrillDownQuery;
import org.apache.lucene.facet.DrillSideways;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.Facets;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TotalHitCountCollectorManager;

/**
 * Counts the {@code class} facet of a matched set with Lucene's {@link DrillSideways}: the chosen
 * classes are a drill-down dimension, so one search yields both the number of documents in the
 * chosen classes and, for every class, the count it has when the class choice is left out.
 * Stateless.
 */
final class ClassFacets {

  /** The total of the drilled-down set and the (sideways) class counts, by count descending. */
  record Counts(long total, List<FacetCount> classes) {}

  private ClassFacets() {}

  /**
   * Whether {@link DrillSideways}'s one-pass scorer can run on this searcher: it must score each
   * segment whole, so a query timeout (scoring in windows, apache/lucene#12032) or intra-segment
   * slices (apache/lucene#13753) make it fail in Lucene 10.5.1.
   */
  private static boolean drillSidewaysScorerWorks(IndexSearcher searcher) {
    if (searcher.getTimeout() != null) {
      return false;
    }
    for (IndexSearcher.LeafSlice slice : searcher.getSlices()) {
      for (IndexSearcher.LeafReaderContextPartition p : slice.partitions) {
        if (p.minDocId != 0 || p.maxDocId != DocIdSetIterator.NO_MORE_DOCS) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The facet ordinals of {@code reader}: expensive (an ordinal map over all segments), so built
   * once per reader.
   *
   * @return null if no document of the reader carries a facet value yet
   */
  static SortedSetDocValuesReaderState newState(IndexReader reader) throws IOException {
    try {
      return new DefaultSortedSetDocValuesReaderState(reader, ImageSchema.facetsConfig());
    } catch (IllegalArgumentException noFacetField) {
      return null;
    }
  }

  /**
   * Counts over {@code base} drilled down to {@code classes}.
   *
   * @param base the matched set without the class choice
   * @param classes the chosen classes (empty: no drill-down, plain counts of {@code base})
   * @param state the facet ordinals of the searcher's reader (not null)
   */
  static Counts count(
      IndexSearcher searcher, SortedSetDocValuesReaderState state, Query base, Set<String> classes)
      throws IOException {
    DrillDownQuery query = new DrillDownQuery(ImageSchema.facetsConfig(), base);
    for (String value : classes) {
      query.add(ImageSchema.CLASS, value); // the same dimension again is OR-ed
    }
    Facets facets;
    long total;
    if (classes.isEmpty() || drillSidewaysScorerWorks(searcher)) {
      DrillSideways.ConcurrentDrillSidewaysResult<Integer> result =
          new DrillSideways(searcher, ImageSchema.facetsConfig(), state)
              .search(query, new TotalHitCountCollectorManager(searcher.getSlices()));
      facets = result.facets;
      total = result.collectorResult;
    } else {
      // What DrillSideways does with an executor, in two plain searches: the drilled-down set for
      // the total, the base for the sideways class counts.
      total = searcher.count(query);
      facets =
          new SortedSetDocValuesFacetCounts(
              state, searcher.search(base, new FacetsCollectorManager()));
    }
    FacetResult counts;
    try {
      counts = facets.getAllChildren(ImageSchema.CLASS);
    } catch (IllegalArgumentException noSuchDimension) {
      counts = null; // no document of this reader has a class
    }
    List<FacetCount> classCounts =
        counts == null
            ? List.of()
            : Arrays.stream(counts.labelValues)
                .filter(lv -> lv.value.intValue() > 0)
                .sorted(
                    Comparator.comparingInt((LabelAndValue lv) -> -lv.value.intValue())
                        .thenComparing(lv -> lv.label))
                .map(lv -> new FacetCount(lv.label, lv.value.intValue()))
                .toList();
    return new Counts(total, classCounts);
  }
}
