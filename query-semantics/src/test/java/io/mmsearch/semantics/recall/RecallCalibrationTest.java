package io.mmsearch.semantics.recall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecallCalibrationTest {
  private static final double N = Double.NaN;

  private static RecallCurve curve(double... recallAtCounts) {
    double[] se = new double[recallAtCounts.length];
    java.util.Arrays.fill(se, 0.004);
    return new RecallCurve(
        new int[] {10},
        new int[] {10, 20, 40, 80, 160},
        new double[][] {recallAtCounts},
        new double[][] {se},
        200);
  }

  static RecallCalibration calibration(boolean withText, boolean withFilter) {
    List<RecallCalibration.Curve> curves = new java.util.ArrayList<>();
    curves.add(
        new RecallCalibration.Curve(QueryKind.IMAGE, 1.0, true, curve(0.97, 0.99, 0.995, 1, 1)));
    curves.add(
        new RecallCalibration.Curve(
            QueryKind.IMAGE, 1.0, false, curve(0.95, 0.97, 0.98, 0.985, 0.985)));
    if (withText) {
      curves.add(
          new RecallCalibration.Curve(
              QueryKind.TEXT, 1.0, true, curve(0.80, 0.90, 0.96, 0.985, 0.995)));
    }
    if (withFilter) {
      curves.add(
          new RecallCalibration.Curve(
              QueryKind.IMAGE, 0.1, true, curve(0.90, 0.96, 0.99, 0.999, 1)));
    }
    return new RecallCalibration(
        "image_vec",
        "_0-0a1b2c3d:60000,_1-4e5f6071:40000",
        100_000,
        2,
        "2026-12-07T15:00:00Z",
        new RecallCalibration.Cost(2.5, 1.0, 4000, 200_000, 40_000_000),
        true,
        withText
            ? Map.of(QueryKind.IMAGE, "neighbourhood", QueryKind.TEXT, "captions")
            : Map.of(QueryKind.IMAGE, "neighbourhood"),
        curves);
  }

  @Test
  void eachKindGetsItsOwnCount() {
    RecallCalibration c = calibration(true, false);
    // 0.98 halfway between 0.97 (10) and 0.99 (20): sqrt(10 * 20) = 14.1 -> 15
    assertEquals(15, c.choose(QueryKind.IMAGE, 10, 0.98, 1, true).candidates());
    CandidateChoice text = c.choose(QueryKind.TEXT, 10, 0.98, 1, true);
    assertTrue(text.candidates() > 40 && text.candidates() <= 80, text.toString());
    assertTrue(text.reachable());
    assertTrue(text.estimatedRecall() >= 0.98);
  }

  @Test
  void withoutTextCurvesImageQueriesStandInAndSaySo() {
    CandidateChoice text = calibration(false, false).choose(QueryKind.TEXT, 10, 0.98, 1, true);
    assertEquals(15, text.candidates());
    assertTrue(text.basis().contains("image queries stand in for text queries"), text.basis());
  }

  @Test
  void withoutReRankTheApproximateCurveIsRead() {
    RecallCalibration c = calibration(true, false);
    assertEquals(40, c.choose(QueryKind.IMAGE, 10, 0.98, 1, false).candidates());
    CandidateChoice never = c.choose(QueryKind.IMAGE, 10, 0.99, 1, false);
    assertFalse(never.reachable());
    assertEquals(160, never.candidates());
    assertEquals(0.985, never.estimatedRecall(), 1e-12);
  }

  @Test
  void aFilterSmallerThanTheCandidatesIsExact() {
    // 0.0001 of 100,000 documents = 10 accepted <= 15 candidates: Lucene searches them exactly.
    CandidateChoice c = calibration(true, true).choose(QueryKind.IMAGE, 10, 0.98, 0.0001, true);
    assertEquals(1.0, c.estimatedRecall());
    assertTrue(c.basis().contains("exact"), c.basis());
  }

  @Test
  void aFilterBetweenCalibratedSelectivitiesInterpolates() {
    RecallCalibration c = calibration(true, true);
    int unfiltered = c.choose(QueryKind.IMAGE, 10, 0.98, 1, true).candidates();
    int atTenth = c.choose(QueryKind.IMAGE, 10, 0.98, 0.1, true).candidates();
    int between = c.choose(QueryKind.IMAGE, 10, 0.98, Math.sqrt(0.1), true).candidates();
    assertEquals(15, unfiltered);
    assertTrue(atTenth > unfiltered, "at 0.1: " + atTenth);
    assertTrue(between >= unfiltered && between <= atTenth, "between: " + between);
  }

  @Test
  void aFilterWithoutFilterCurvesUsesTheUnfilteredOneAndSaysSo() {
    CandidateChoice c = calibration(true, false).choose(QueryKind.IMAGE, 10, 0.98, 0.1, true);
    assertEquals(15, c.candidates());
    assertTrue(c.basis().contains("filter not calibrated"), c.basis());
  }

  @Test
  void theEstimateOfAnyCountReadsTheCurve() {
    CandidateChoice e = calibration(true, false).estimate(QueryKind.TEXT, 10, 40, 1, true);
    assertEquals(0.96, e.estimatedRecall(), 1e-12);
    assertEquals(0.004, e.standardError(), 1e-12);
  }

  @Test
  void theTextFormRoundTrips() {
    for (boolean text : new boolean[] {false, true}) {
      for (boolean filter : new boolean[] {false, true}) {
        RecallCalibration c = calibration(text, filter);
        RecallCalibration back = RecallCalibration.decode(c.encode());
        assertEquals(c.field(), back.field());
        assertEquals(c.layout(), back.layout());
        assertEquals(c.documents(), back.documents());
        assertEquals(c.querySources(), back.querySources());
        assertEquals(c.cost(), back.cost());
        assertEquals(c.curves().size(), back.curves().size());
        for (int i = 0; i < c.curves().size(); i++) {
          RecallCurve a = c.curves().get(i).curve();
          RecallCurve b = back.curves().get(i).curve();
          assertEquals(a.queries(), b.queries());
          for (int j = 0; j < a.candidates().length; j++) {
            assertEquals(a.recall()[0][j], b.recall()[0][j], 1e-5);
          }
        }
        assertEquals(
            c.choose(QueryKind.TEXT, 10, 0.98, 1, true).candidates(),
            back.choose(QueryKind.TEXT, 10, 0.98, 1, true).candidates());
      }
    }
  }

  @Test
  void unmeasuredEntriesSurviveTheTextForm() {
    RecallCurve r =
        new RecallCurve(
            new int[] {10, 40},
            new int[] {10, 40},
            new double[][] {{0.9, 0.99}, {N, 0.95}},
            new double[][] {{0.01, 0.001}, {N, 0.01}},
            50);
    RecallCalibration c =
        new RecallCalibration(
            "f",
            "l",
            10,
            1,
            "t",
            new RecallCalibration.Cost(0.1, 0, 1, 1, 1),
            false,
            Map.of(QueryKind.IMAGE, "x"),
            List.of(new RecallCalibration.Curve(QueryKind.IMAGE, 1.0, true, r)));
    RecallCalibration back = RecallCalibration.decode(c.encode());
    assertTrue(Double.isNaN(back.curves().get(0).curve().recall()[1][0]));
    assertFalse(back.complete());
  }

  @Test
  void textThatIsNoCalibrationIsRefusedWithTheReason() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RecallCalibration.decode("hello"));
    assertTrue(e.getMessage().contains("not a recall calibration"), e.getMessage());
    String cut = calibration(true, false).encode();
    IllegalArgumentException e2 =
        assertThrows(
            IllegalArgumentException.class,
            () -> RecallCalibration.decode(cut.substring(0, cut.length() - 40)));
    assertTrue(e2.getMessage().contains("malformed recall calibration at line"), e2.getMessage());
  }
}
