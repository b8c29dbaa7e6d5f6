package io.mmsearch.semantics.recall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RecallCurveTest {
  private static final double N = Double.NaN;

  /** Windows 10 and 40; counts 10, 20, 40, 80, 160. */
  private static RecallCurve curve() {
    return new RecallCurve(
        new int[] {10, 40},
        new int[] {10, 20, 40, 80, 160},
        new double[][] {{0.90, 0.95, 0.98, 0.99, 1.0}, {N, N, 0.93, 0.97, 0.99}},
        new double[][] {{0.02, 0.01, 0.005, 0.003, 0}, {N, N, 0.01, 0.005, 0.002}},
        200);
  }

  @Test
  void aTargetOnALadderStepNeedsThatStep() {
    assertEquals(OptionalInt.of(40), curve().candidatesFor(10, 0.98));
    assertEquals(OptionalInt.of(10), curve().candidatesFor(10, 0.85));
  }

  @Test
  void aTargetBetweenStepsIsInterpolatedInLogCount() {
    // 0.965 lies halfway between 0.95 (20) and 0.98 (40): sqrt(20 * 40) = 28.3 -> 29.
    assertEquals(OptionalInt.of(29), curve().candidatesFor(10, 0.965));
  }

  @Test
  void anUnreachedTargetIsEmpty() {
    assertTrue(curve().candidatesFor(40, 0.995).isEmpty());
  }

  @Test
  void aDipLowersEveryCountBeforeIt() {
    // 0.99 at 40 but 0.97 at 80: sampling noise must not make 40 look sufficient for 0.98; the
    // count comes from between 80 (0.97) and 160 (0.995).
    RecallCurve dip =
        new RecallCurve(
            new int[] {10},
            new int[] {10, 20, 40, 80, 160},
            new double[][] {{0.90, 0.95, 0.99, 0.97, 0.995}},
            new double[][] {{0, 0, 0, 0, 0}},
            100);
    assertEquals(OptionalInt.of(106), dip.candidatesFor(10, 0.98));
    assertEquals(0.97, dip.recallAt(10, 40), 1e-12);
  }

  @Test
  void aWindowBetweenCalibratedOnesInterpolatesTheFactorPerHit() {
    // window 20 lies halfway (in log) between 10 (needs 4 per hit for 0.98) and 40 (needs 2 for
    // 0.97): for 0.97, 10 needs ~3.2 per hit, 40 needs 2 per hit.
    int w10 = curve().candidatesFor(10, 0.97).getAsInt();
    int w40 = curve().candidatesFor(40, 0.97).getAsInt();
    int w20 = curve().candidatesFor(20, 0.97).getAsInt();
    double f = (w10 / 10.0 + w40 / 40.0) / 2;
    assertEquals(Math.ceil(f * 20), w20, 1);
  }

  @Test
  void windowsOutsideTheCalibratedOnesUseTheNearest() {
    assertEquals(curve().candidatesFor(10, 0.95), curve().candidatesFor(5, 0.95));
    int at40 = curve().candidatesFor(40, 0.97).getAsInt();
    assertEquals(OptionalInt.of(at40 * 2), curve().candidatesFor(80, 0.97));
  }

  @Test
  void recallAtACountReadsTheCurve() {
    assertEquals(0.98, curve().recallAt(10, 40), 1e-12);
    assertEquals(0.965, curve().recallAt(10, 28), 0.002);
    assertEquals(1.0, curve().recallAt(10, 10_000), 1e-12);
    assertEquals(0.005, curve().standardErrorAt(10, 40), 1e-12);
  }

  @Test
  void theCountForATargetReachesIt() {
    for (double target = 0.9; target <= 0.99; target += 0.005) {
      int c = curve().candidatesFor(10, target).getAsInt();
      assertTrue(curve().recallAt(10, c) >= target - 1e-9, "target " + target + " at " + c);
    }
  }

  @Test
  void badArgumentsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> curve().candidatesFor(0, 0.9));
    assertThrows(IllegalArgumentException.class, () -> curve().candidatesFor(10, 1.5));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new RecallCurve(
                new int[] {10},
                new int[] {20, 10},
                new double[][] {{1, 1}},
                new double[][] {{0, 0}},
                1));
  }
}
