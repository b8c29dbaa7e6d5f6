package io.mmsearch.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetJoinTest {
  private static final List<VectorTarget> IMAGE_AND_CAPTION =
      List.of(new VectorTarget("image_vec", 1f), new VectorTarget("caption_vec", 3f));

  /** Scores per document: image, caption (NaN: no caption vector). */
  private static final Map<String, float[]> SCORES =
      Map.of(
          "a", new float[] {0.6f, 0.9f},
          "b", new float[] {0.8f, 0.5f},
          "c", new float[] {0.7f, Float.NaN});

  private static float score(String key, int target) {
    return SCORES.get(key)[target];
  }

  @Test
  void theMeanJoinAveragesEveryTargetADocumentHasIncludingListsThatMissedIt() {
    // a is only in the caption list and b only in the image list; both get both scores.
    List<Ranked<String>> joined =
        new TargetJoin.Mean()
            .join(
                IMAGE_AND_CAPTION,
                List.of(
                    List.of(new Ranked<>("b", 0.8f), new Ranked<>("c", 0.7f)),
                    List.of(new Ranked<>("a", 0.9f))),
                TargetJoinTest::score);
    assertEquals(
        List.of(
            new Ranked<>("a", (float) ((0.6 * 1 + 0.9 * 3) / 4)),
            new Ranked<>("c", 0.7f), // no caption vector: its image score alone
            new Ranked<>("b", (float) ((0.8 * 1 + 0.5 * 3) / 4))),
        joined);
  }

  @Test
  void aTargetOfWeightZeroDoesNotCount() {
    List<VectorTarget> captionOnly =
        List.of(new VectorTarget("image_vec", 0f), new VectorTarget("caption_vec", 1f));
    List<Ranked<String>> joined =
        new TargetJoin.Mean()
            .join(
                captionOnly,
                List.of(List.of(new Ranked<>("c", 0.7f)), List.of(new Ranked<>("a", 0.9f))),
                TargetJoinTest::score);
    // c has no caption vector and the image weighs nothing: it has no score and is left out.
    assertEquals(List.of(new Ranked<>("a", 0.9f)), joined);
  }

  @Test
  void theRrfJoinSumsWeightedReciprocalRanks() {
    List<Ranked<String>> joined =
        new TargetJoin.Rrf(60)
            .join(
                IMAGE_AND_CAPTION,
                List.of(
                    List.of(new Ranked<>("b", 0.8f), new Ranked<>("a", 0.6f)),
                    List.of(new Ranked<>("a", 0.9f))),
                (k, t) -> {
                  throw new AssertionError("rrf needs no scores");
                });
    assertEquals(
        List.of(
            new Ranked<>("a", (float) (1.0 / 62 + 3.0 / 61)),
            new Ranked<>("b", (float) (1.0 / 61))),
        joined);
  }

  @Test
  void targetsAreValidated() {
    assertEquals(
        "vector target image_vec is given twice",
        assertThrows(
                InvalidQueryException.class,
                () ->
                    TargetJoin.requireValid(
                        List.of(VectorTarget.of("image_vec"), VectorTarget.of("image_vec"))))
            .getMessage());
    assertEquals(
        "the weights of the vector targets [image_vec, caption_vec] are all 0: nothing would rank",
        assertThrows(
                InvalidQueryException.class,
                () ->
                    TargetJoin.requireValid(
                        List.of(
                            new VectorTarget("image_vec", 0f),
                            new VectorTarget("caption_vec", 0f))))
            .getMessage());
    assertThrows(InvalidQueryException.class, () -> new VectorTarget(" ", 1f));
    assertThrows(InvalidQueryException.class, () -> new VectorTarget("image_vec", -1f));
    assertThrows(InvalidQueryException.class, () -> TargetJoin.named("max"));
  }
}
