package io.mmsearch.semantics.recall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mmsearch.semantics.SearchDepth;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CandidatePlannerTest {
  private static final Set<QueryKind> IMAGE = EnumSet.of(QueryKind.IMAGE);
  private static final RecallCalibration CALIBRATION =
      RecallCalibrationTest.calibration(true, false);

  private static RecallEstimate plan(SearchDepth depth, Set<QueryKind> kinds) {
    return CandidatePlanner.plan(depth, kinds, 1.0, true, Optional.of(CALIBRATION), true);
  }

  @Test
  void aTargetGetsTheCalibrationsCountAndItsEstimate() {
    RecallEstimate e = plan(SearchDepth.defaults(), IMAGE);
    CandidateChoice choice = CALIBRATION.choose(QueryKind.IMAGE, 10, 0.98, 1.0, true);
    assertEquals(choice.candidates(), e.candidates());
    assertEquals(choice.estimatedRecall(), e.estimatedRecall(), 1e-9);
    assertEquals(0.98, e.targetRecall());
    assertEquals(RecallEstimate.Source.CALIBRATED, e.source());
    assertTrue(e.estimatedRecall() >= 0.98);
  }

  @Test
  void aMixOfTextAndImageFetchesWhatTheHarderKindNeeds() {
    int image = plan(SearchDepth.defaults(), IMAGE).candidates();
    int text = plan(SearchDepth.defaults(), EnumSet.of(QueryKind.TEXT)).candidates();
    assertTrue(text > image, "text queries need more candidates in this calibration");
    assertEquals(
        text,
        plan(SearchDepth.defaults(), EnumSet.of(QueryKind.IMAGE, QueryKind.TEXT)).candidates());
  }

  @Test
  void aHigherTargetNeverFetchesFewer() {
    int previous = 0;
    for (double target : new double[] {0.5, 0.9, 0.95, 0.98, 0.99}) {
      int count =
          plan(new SearchDepth(10, 0, 10, 0, 0f, target), EnumSet.of(QueryKind.TEXT)).candidates();
      assertTrue(count >= previous, target + ": " + count + " < " + previous);
      previous = count;
    }
  }

  @Test
  void anExplicitOversampleWinsAndIsStillEstimated() {
    RecallEstimate e = plan(new SearchDepth(10, 0, 10, 0, 8f, 0.99), IMAGE);
    assertEquals(80, e.candidates());
    assertFalse(e.targeted());
    assertEquals(
        CALIBRATION.estimate(QueryKind.IMAGE, 10, 80, 1.0, true).estimatedRecall(),
        e.estimatedRecall(),
        1e-9);
  }

  @Test
  void anExplicitCountWins() {
    assertEquals(160, plan(new SearchDepth(10, 0, 10, 160, 0f, 0.5), IMAGE).candidates());
  }

  @Test
  void withoutACalibrationTheDefaultOversampleServesAndTheRecallIsUnknown() {
    RecallEstimate e =
        CandidatePlanner.plan(SearchDepth.defaults(), IMAGE, 1.0, true, Optional.empty(), false);
    assertEquals(40, e.candidates());
    assertEquals(RecallEstimate.Source.UNCALIBRATED, e.source());
    assertTrue(Double.isNaN(e.estimatedRecall()));
  }

  @Test
  void aCalibrationOfAnotherLayoutIsMarkedStale() {
    RecallEstimate e =
        CandidatePlanner.plan(
            SearchDepth.defaults(), IMAGE, 1.0, true, Optional.of(CALIBRATION), false);
    assertEquals(RecallEstimate.Source.STALE, e.source());
    assertTrue(e.basis().contains("earlier layout"), e.basis());
  }

  @Test
  void aVectorSearchHasAKindOfQuery() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            CandidatePlanner.plan(
                SearchDepth.defaults(),
                EnumSet.noneOf(QueryKind.class),
                1.0,
                true,
                Optional.of(CALIBRATION),
                true));
  }
}
