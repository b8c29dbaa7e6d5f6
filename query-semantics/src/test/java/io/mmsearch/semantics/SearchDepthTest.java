package io.mmsearch.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
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
  void byDefaultTheCalibrationsCountForTheTargetDecides() {
    SearchDepth d = SearchDepth.defaults();
    assertTrue(d.usesTargetRecall());
    assertEquals(0.98, d.targetRecall());
    assertEquals(57, d.candidateCount(OptionalInt.of(57)));
    // never fewer than the window
    assertEquals(10, d.candidateCount(OptionalInt.of(3)));
  }

  @Test
  void withoutACalibrationTheDefaultOversampleServes() {
    assertEquals(40, SearchDepth.defaults().candidateCount(OptionalInt.empty()));
    assertEquals(40, SearchDepth.defaults().candidateCount());
  }

  @Test
  void anExplicitCountOrOversampleOverridesTheTarget() {
    SearchDepth oversampled = new SearchDepth(10, 0, 10, 0, 2f, 0.99);
    assertFalse(oversampled.usesTargetRecall());
    assertEquals(20, oversampled.candidateCount(OptionalInt.of(500)));
    SearchDepth counted = new SearchDepth(10, 0, 10, 30, 0f, 0.99);
    assertFalse(counted.usesTargetRecall());
    assertEquals(30, counted.candidateCount(OptionalInt.of(500)));
  }

  @Test
  void aTargetRecallOutsideZeroToOneIsRefused() {
    for (double bad : new double[] {0, -0.5, 1.01, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
      InvalidQueryException e =
          assertThrows(InvalidQueryException.class, () -> new SearchDepth(10, 0, 10, 0, 0f, bad));
      assertTrue(e.getMessage().contains("target recall"), e.getMessage());
    }
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
        "oversample must be finite and >= 1 (or 0: not set), got 0.5",
        assertThrows(InvalidQueryException.class, () -> new SearchDepth(1, 0, 1, 0, 0.5f))
            .getMessage());
    assertThrows(
        InvalidQueryException.class, () -> new SearchDepth(1, 0, 1, 0, Float.POSITIVE_INFINITY));
    assertEquals(0, new SearchDepth(1, 0, 0, 0, 1f).size()); // counts only
  }
}
