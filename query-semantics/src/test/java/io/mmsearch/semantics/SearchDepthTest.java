package io.mmsearch.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SearchDepthTest {

  @Test
  void theWindowIsTheLargerOfKAndTheEndOfThePage() {
    assertEquals(10, new SearchDepth(10, 0, 5, 0, 1f).window());
    assertEquals(25, new SearchDepth(10, 20, 5, 0, 1f).window());
  }

  @Test
  void candidatesAreTheWindowOversampledOrTheExplicitCountIfLarger() {
    assertEquals(40, new SearchDepth(10, 0, 10, 0, 4f).candidateCount());
    assertEquals(16, new SearchDepth(10, 0, 10, 0, 1.55f).candidateCount()); // ceil(15.5)
    assertEquals(100, new SearchDepth(10, 0, 10, 100, 4f).candidateCount());
  }

  @Test
  void fromPlusSizeThatOverflowsAnIntIsRefusedNotWrapped() {
    InvalidQueryException e =
        assertThrows(
            InvalidQueryException.class,
            () -> new SearchDepth(1, Integer.MAX_VALUE, Integer.MAX_VALUE, 0, 1f));
    assertTrue(e.getMessage().contains("from + size 4294967294"), e.getMessage());
  }

  @Test
  void theCandidateCountNeverExceedsTheMaximumWindow() {
    SearchDepth deep = new SearchDepth(SearchDepth.MAX_WINDOW, 0, 1, 0, 1000f);
    assertEquals(SearchDepth.MAX_WINDOW, deep.candidateCount());
  }

  @Test
  void aFrontEndCapNamesTheWindowAndTheLimit() {
    SearchDepth d = new SearchDepth(10, 495, 10, 0, 4f);
    InvalidQueryException e =
        assertThrows(
            InvalidQueryException.class, () -> d.requireWindowAtMost(500, "page less deep"));
    assertEquals(
        "the request reads 505 hits per list (max(k, from + size)), more than the limit of 500;"
            + " page less deep",
        e.getMessage());
    assertEquals(d, d.requireWindowAtMost(505, ""));
  }

  @Test
  void settingsOutOfRangeAreRefusedNamingThem() {
    assertEquals(
        "k must be >= 1, got 0",
        assertThrows(InvalidQueryException.class, () -> new SearchDepth(0, 0, 1, 0, 1f))
            .getMessage());
    assertEquals(
        "from must be >= 0, got -1",
        assertThrows(InvalidQueryException.class, () -> new SearchDepth(1, -1, 1, 0, 1f))
            .getMessage());
    assertEquals(
        "size must be >= 0, got -1",
        assertThrows(InvalidQueryException.class, () -> new SearchDepth(1, 0, -1, 0, 1f))
            .getMessage());
    assertEquals(
        "numCandidates (5) must be >= k (10)",
        assertThrows(InvalidQueryException.class, () -> new SearchDepth(10, 0, 1, 5, 1f))
            .getMessage());
    assertEquals(
        "oversample must be finite and >= 1, got 0.5",
        assertThrows(InvalidQueryException.class, () -> new SearchDepth(1, 0, 1, 0, 0.5f))
            .getMessage());
    assertThrows(
        InvalidQueryException.class, () -> new SearchDepth(1, 0, 1, 0, Float.POSITIVE_INFINITY));
    assertEquals(0, new SearchDepth(1, 0, 0, 0, 1f).size()); // counts only
  }
}
