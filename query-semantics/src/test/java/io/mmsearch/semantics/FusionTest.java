package io.mmsearch.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FusionTest {

  static List<Ranked<String>> list(Object... keyScore) {
    Ranked<?>[] out = new Ranked<?>[keyScore.length / 2];
    for (int i = 0; i < keyScore.length; i += 2) {
      out[i / 2] = new Ranked<>((String) keyScore[i], ((Number) keyScore[i + 1]).floatValue());
    }
    @SuppressWarnings("unchecked")
    List<Ranked<String>> list = (List<Ranked<String>>) (List<?>) List.of(out);
    return list;
  }

  @Test
  void rrfSumsWeightedReciprocalRanksInDouble() {
    List<Ranked<String>> fused =
        Fusion.rrf(10, 2f, 1f).fuse(list("a", 9, "b", 5), list("b", 0.9, "c", 0.8));
    assertEquals(List.of("b", "a", "c"), fused.stream().map(Ranked::key).toList());
    assertEquals((float) (2.0 / 12 + 1.0 / 11), fused.get(0).score());
    assertEquals((float) (2.0 / 11), fused.get(1).score());
    assertEquals((float) (1.0 / 12), fused.get(2).score());
  }

  @Test
  void linearNormalisesEachListByItsMinAndMax() {
    List<Ranked<String>> fused =
        Fusion.linear(1f, 3f).fuse(list("a", 10, "b", 6, "c", 2), list("c", 0.9, "d", 0.7));
    // a: 1, b: 0.5, c: 0 + 3, d: 0
    assertEquals(List.of("c", "a", "b", "d"), fused.stream().map(Ranked::key).toList());
    assertEquals(3f, fused.get(0).score());
    assertEquals(0.5f, fused.get(2).score());
    assertEquals(0f, fused.get(3).score());
  }

  @Test
  void aListWhoseScoresAreAllEqualNormalisesToOne() {
    List<Ranked<String>> fused = Fusion.linear(1f, 1f).fuse(list("a", 4, "b", 4), list());
    assertEquals(1f, fused.get(0).score());
    assertEquals(1f, fused.get(1).score());
  }

  @Test
  void tiesAreOrderedByKeyAscending() {
    List<Ranked<String>> fused = Fusion.rrf().fuse(list("z", 1), list("y", 1));
    assertEquals(List.of("y", "z"), fused.stream().map(Ranked::key).toList());
  }

  @Test
  void scoresEqualAsFloatsTieEvenIfTheirDoublesDiffer() {
    // 1/61 + 1/62 and 1/62 + 1/61 are the same double; use three lists' worth via weights instead:
    // two documents whose double sums differ below float precision are ordered by key.
    float w = 1f;
    List<Ranked<String>> fused =
        new Fusion.Linear(w, Math.ulp(1f) / 4).fuse(list("b", 2, "a", 1), list("a", 2, "b", 1));
    // b: 1 + 0, a: 0 + ulp/4: as floats 1 and ulp/4: no tie; the ordering is by score
    assertEquals("b", fused.get(0).key());
    List<Ranked<Integer>> tie =
        Fusion.rrf(1)
            .fuse(
                List.of(new Ranked<>(7, 1f), new Ranked<>(3, 0.5f)),
                List.of(new Ranked<>(3, 1f), new Ranked<>(7, 0.5f)));
    assertEquals(List.of(3, 7), tie.stream().map(Ranked::key).toList());
  }

  @Test
  void aKeyTwiceInOneListIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> Fusion.rrf().fuse(list("a", 2, "a", 1), list()));
  }

  @Test
  void settingsOutOfRangeAreRefusedNamingThem() {
    InvalidQueryException e =
        assertThrows(InvalidQueryException.class, () -> Fusion.rrf(0, 1f, 1f));
    assertEquals("the RRF rank constant must be >= 1, got 0", e.getMessage());
    e = assertThrows(InvalidQueryException.class, () -> Fusion.linear(-1f, 1f));
    assertEquals("the keyword list weight must be finite and >= 0, got -1.0", e.getMessage());
    e = assertThrows(InvalidQueryException.class, () -> Fusion.rrf(60, 1f, Float.NaN));
    assertEquals("the vector list weight must be finite and >= 0, got NaN", e.getMessage());
    assertThrows(InvalidQueryException.class, () -> Fusion.named("sum"));
    assertEquals(Fusion.rrf(), Fusion.named(" RRF "));
    assertEquals(Fusion.linear(1f, 1f), Fusion.named("linear"));
  }
}
