package io.mmsearch.faiss;

import com.carrotsearch.randomizedtesting.annotations.ThreadLeakFilters;
import io.mmsearch.lucene.search.SearchEquivalenceRandomizedTest;

/**
 * The whole search against the brute-force reference with FAISS re-ranking (its block re-rank query
 * instead of Lucene's rescore query).
 */
@ThreadLeakFilters(defaultFilters = true, filters = JavaCppThreadFilter.class)
public class FaissSearchEquivalenceTest extends SearchEquivalenceRandomizedTest {
  @Override
  protected String scorerKind() {
    return "faiss";
  }
}
